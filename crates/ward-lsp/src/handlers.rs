//! Request routing: decode params (`InvalidParams` when malformed), find the
//! document's snapshot (analysing first if it is out of date), call the
//! feature, encode the result.

use crate::features::{
    code_actions, completion, formatting, hover, inlay_hints, navigation, semantic_tokens, symbols,
};
use crate::server::{error, Server};
use crate::workspace::Snapshot;
use lsp_server::{ErrorCode, ResponseError};
use lsp_types::request::{self as req, Request};
use lsp_types::*;
use serde_json::Value;
use std::sync::Arc;
use ward_diagnostics::FileId;

type Outcome = Result<Value, ResponseError>;

/// Routes a request; `None` for methods the server does not know.
pub(crate) fn dispatch(server: &mut Server<'_>, method: &str, params: Value) -> Option<Outcome> {
    Some(match method {
        req::HoverRequest::METHOD => on::<req::HoverRequest>(server, params, hover),
        req::GotoDefinition::METHOD => on::<req::GotoDefinition>(server, params, definition),
        req::References::METHOD => on::<req::References>(server, params, references),
        req::DocumentHighlightRequest::METHOD => {
            on::<req::DocumentHighlightRequest>(server, params, highlight)
        }
        req::PrepareRenameRequest::METHOD => {
            on::<req::PrepareRenameRequest>(server, params, prepare_rename)
        }
        req::Rename::METHOD => on::<req::Rename>(server, params, rename),
        req::Completion::METHOD => on::<req::Completion>(server, params, completion),
        req::DocumentSymbolRequest::METHOD => {
            on::<req::DocumentSymbolRequest>(server, params, document_symbols)
        }
        req::WorkspaceSymbolRequest::METHOD => {
            on::<req::WorkspaceSymbolRequest>(server, params, workspace_symbols)
        }
        req::Formatting::METHOD => on::<req::Formatting>(server, params, format),
        req::RangeFormatting::METHOD => on::<req::RangeFormatting>(server, params, format_range),
        req::SemanticTokensFullRequest::METHOD => {
            on::<req::SemanticTokensFullRequest>(server, params, tokens)
        }
        req::InlayHintRequest::METHOD => on::<req::InlayHintRequest>(server, params, inlay_hints),
        req::CodeActionRequest::METHOD => {
            on::<req::CodeActionRequest>(server, params, code_actions)
        }
        req::CodeLensRequest::METHOD => on::<req::CodeLensRequest>(server, params, code_lenses),
        _ => return None,
    })
}

fn on<R: Request>(
    server: &mut Server<'_>,
    params: Value,
    handler: fn(&mut Server<'_>, R::Params) -> Result<R::Result, ResponseError>,
) -> Outcome {
    let params: R::Params = serde_json::from_value(params).map_err(|e| {
        error(
            ErrorCode::InvalidParams,
            &format!("invalid params for `{}`: {e}", R::METHOD),
        )
    })?;
    let result = handler(server, params)?;
    serde_json::to_value(result).map_err(|e| error(ErrorCode::InternalError, &e.to_string()))
}

/// The up-to-date snapshot holding a document, and the document's file id.
/// `None` for a document that is neither open nor part of a loaded model.
fn snapshot_of(server: &mut Server<'_>, uri: &Uri) -> Option<(Arc<Snapshot>, FileId)> {
    if server.documents.get(uri).is_some() {
        let key = server.workspace.key_for(uri, &server.documents);
        server.ensure_fresh(&key);
        let snapshot = server.workspace.snapshot(&key)?;
        let file = snapshot.file_of(uri)?;
        return Some((snapshot, file));
    }
    // A closed file of a loaded model (e.g. reached by go to definition).
    server
        .workspace
        .snapshots()
        .into_iter()
        .find_map(|s| s.file_of(uri).map(|f| (s, f)))
}

fn at_position(
    server: &mut Server<'_>,
    p: &TextDocumentPositionParams,
) -> Option<(Arc<Snapshot>, FileId, usize)> {
    let (snapshot, file) = snapshot_of(server, &p.text_document.uri)?;
    let offset = snapshot.offset(file, p.position);
    Some((snapshot, file, offset))
}

fn hover(server: &mut Server<'_>, p: HoverParams) -> Result<Option<Hover>, ResponseError> {
    let Some((snapshot, file, offset)) = at_position(server, &p.text_document_position_params)
    else {
        return Ok(None);
    };
    let mut hover = hover::hover(&snapshot, file, offset);
    // "Since BASE": what changed on the hovered declaration.
    let key = server.workspace.key_for(
        &p.text_document_position_params.text_document.uri,
        &server.documents,
    );
    if let (Some(since), Some(hover)) = (server.workspace.since_base(&key), hover.as_mut()) {
        let id = hover.range.and_then(|r| {
            let text = snapshot.text(file);
            let start = snapshot.offset(file, r.start);
            let end = snapshot.offset(file, r.end);
            text.get(start..end).map(str::to_owned)
        });
        if let (Some(section), HoverContents::Markup(markup)) = (
            id.and_then(|id| since.hover_section(&id)),
            &mut hover.contents,
        ) {
            markup.value.push_str(&section);
        }
    }
    if let Some(HoverContents::Markup(markup)) = hover.as_mut().map(|h| &mut h.contents) {
        if !server.client.markdown_hover {
            markup.kind = MarkupKind::PlainText;
        }
    }
    Ok(hover)
}

/// The diff lens: one lens per declaration changed since `[diff] base`.
fn code_lenses(
    server: &mut Server<'_>,
    p: CodeLensParams,
) -> Result<Option<Vec<CodeLens>>, ResponseError> {
    let Some((snapshot, file)) = snapshot_of(server, &p.text_document.uri) else {
        return Ok(None);
    };
    let key = server
        .workspace
        .key_for(&p.text_document.uri, &server.documents);
    let Some(since) = server.workspace.since_base(&key) else {
        return Ok(Some(Vec::new()));
    };
    Ok(Some(
        since
            .in_file(file)
            .map(|changed| CodeLens {
                range: snapshot.range(changed.name),
                // A title only: clients show it; there is nothing to run.
                command: Some(Command {
                    title: changed.title.clone(),
                    command: String::new(),
                    arguments: None,
                }),
                data: None,
            })
            .collect(),
    ))
}

fn definition(
    server: &mut Server<'_>,
    p: GotoDefinitionParams,
) -> Result<Option<GotoDefinitionResponse>, ResponseError> {
    let Some((snapshot, file, offset)) = at_position(server, &p.text_document_position_params)
    else {
        return Ok(None);
    };
    let Some(model) = snapshot.model.as_ref() else {
        return Ok(None);
    };
    Ok(navigation::definition(&snapshot, model, file, offset).map(GotoDefinitionResponse::Scalar))
}

fn references(
    server: &mut Server<'_>,
    p: ReferenceParams,
) -> Result<Option<Vec<Location>>, ResponseError> {
    let Some((snapshot, file, offset)) = at_position(server, &p.text_document_position) else {
        return Ok(None);
    };
    let Some(model) = snapshot.model.as_ref() else {
        return Ok(None);
    };
    Ok(Some(navigation::references(
        &snapshot,
        model,
        file,
        offset,
        p.context.include_declaration,
    )))
}

fn highlight(
    server: &mut Server<'_>,
    p: DocumentHighlightParams,
) -> Result<Option<Vec<DocumentHighlight>>, ResponseError> {
    let Some((snapshot, file, offset)) = at_position(server, &p.text_document_position_params)
    else {
        return Ok(None);
    };
    let Some(model) = snapshot.model.as_ref() else {
        return Ok(None);
    };
    Ok(Some(navigation::highlights(&snapshot, model, file, offset)))
}

fn refused(message: String) -> ResponseError {
    error(ErrorCode::RequestFailed, &message)
}

fn prepare_rename(
    server: &mut Server<'_>,
    p: TextDocumentPositionParams,
) -> Result<Option<PrepareRenameResponse>, ResponseError> {
    let Some((snapshot, file, offset)) = at_position(server, &p) else {
        return Ok(None);
    };
    let Some(model) = snapshot.model.as_ref() else {
        return Ok(None);
    };
    match navigation::prepare_rename(&snapshot, model, file, offset) {
        Ok((range, placeholder)) => Ok(Some(PrepareRenameResponse::RangeWithPlaceholder {
            range,
            placeholder,
        })),
        Err(navigation::RenameRefused(message)) => Err(refused(message)),
    }
}

fn rename(
    server: &mut Server<'_>,
    p: RenameParams,
) -> Result<Option<WorkspaceEdit>, ResponseError> {
    let Some((snapshot, file, offset)) = at_position(server, &p.text_document_position) else {
        return Ok(None);
    };
    let Some(model) = snapshot.model.as_ref() else {
        return Ok(None);
    };
    navigation::rename(&snapshot, model, file, offset, &p.new_name)
        .map(Some)
        .map_err(|navigation::RenameRefused(message)| refused(message))
}

fn completion(
    server: &mut Server<'_>,
    p: CompletionParams,
) -> Result<Option<CompletionResponse>, ResponseError> {
    let Some((snapshot, file, offset)) = at_position(server, &p.text_document_position) else {
        return Ok(None);
    };
    Ok(Some(CompletionResponse::List(CompletionList {
        is_incomplete: false,
        items: completion::completion(&snapshot, file, offset),
    })))
}

fn document_symbols(
    server: &mut Server<'_>,
    p: DocumentSymbolParams,
) -> Result<Option<DocumentSymbolResponse>, ResponseError> {
    let Some((snapshot, file)) = snapshot_of(server, &p.text_document.uri) else {
        return Ok(None);
    };
    Ok(Some(if server.client.hierarchical_symbols {
        DocumentSymbolResponse::Nested(symbols::document_symbols(&snapshot, file))
    } else {
        DocumentSymbolResponse::Flat(symbols::flat_symbols(&snapshot, file))
    }))
}

fn workspace_symbols(
    server: &mut Server<'_>,
    p: WorkspaceSymbolParams,
) -> Result<Option<WorkspaceSymbolResponse>, ResponseError> {
    for key in server.workspace.dirty_keys() {
        server.ensure_fresh(&key);
    }
    let snapshots = server.workspace.snapshots();
    Ok(Some(WorkspaceSymbolResponse::Flat(
        symbols::workspace_symbols(&snapshots, &p.query),
    )))
}

fn format(
    server: &mut Server<'_>,
    p: DocumentFormattingParams,
) -> Result<Option<Vec<TextEdit>>, ResponseError> {
    let Some(document) = server.documents.get(&p.text_document.uri) else {
        return Ok(None);
    };
    formatting::format_document(&document.text, &document.index)
        .map(Some)
        .map_err(|formatting::Refused(message)| refused(message))
}

fn format_range(
    server: &mut Server<'_>,
    p: DocumentRangeFormattingParams,
) -> Result<Option<Vec<TextEdit>>, ResponseError> {
    let Some(document) = server.documents.get(&p.text_document.uri) else {
        return Ok(None);
    };
    formatting::format_range(&document.text, &document.index, p.range)
        .map(Some)
        .map_err(|formatting::Refused(message)| refused(message))
}

fn tokens(
    server: &mut Server<'_>,
    p: SemanticTokensParams,
) -> Result<Option<SemanticTokensResult>, ResponseError> {
    let Some((snapshot, file)) = snapshot_of(server, &p.text_document.uri) else {
        return Ok(None);
    };
    Ok(Some(SemanticTokensResult::Tokens(
        semantic_tokens::semantic_tokens(&snapshot, file),
    )))
}

fn inlay_hints(
    server: &mut Server<'_>,
    p: InlayHintParams,
) -> Result<Option<Vec<InlayHint>>, ResponseError> {
    let Some((snapshot, file)) = snapshot_of(server, &p.text_document.uri) else {
        return Ok(None);
    };
    Ok(Some(inlay_hints::inlay_hints(&snapshot, file, p.range)))
}

fn code_actions(
    server: &mut Server<'_>,
    p: CodeActionParams,
) -> Result<Option<CodeActionResponse>, ResponseError> {
    let Some((snapshot, file)) = snapshot_of(server, &p.text_document.uri) else {
        return Ok(None);
    };
    let uri = &p.text_document.uri;
    Ok(Some(code_actions::code_actions(
        &snapshot,
        file,
        uri,
        p.range,
        &p.context.diagnostics,
    )))
}
