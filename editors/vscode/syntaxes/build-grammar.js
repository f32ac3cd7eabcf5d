#!/usr/bin/env node
// Builds ward.tmLanguage.json. The keyword and value lists of the language
// spec (§1-2) appear in several regexes; keeping them here, once, stops the
// copies drifting apart. Run `node syntaxes/build-grammar.js` after an edit;
// a test fails while the JSON is out of date.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

/** Declarations of the `KEYWORD id title? ("in" ref)? block` form. */
const DECLARATION_KEYWORDS = [
  'system', 'zone', 'data', 'component', 'actor', 'hazard', 'threat',
  'control', 'verification', 'assumption', 'usecase', 'policy', 'approval', 'software', 'vulnerability', 'anomaly', 'monitoring',
];
/** Every word that starts a top-level item (error recovery resumes there). */
const TOP_LEVEL_KEYWORDS = ['use', 'flow', 'accept', 'disposition', 'rule', ...DECLARATION_KEYWORDS];
const LEVELS = [
  // severity and exploitability scales of std::policy::iso14971_5x5
  'negligible', 'minor', 'serious', 'critical', 'catastrophic',
  'very_low', 'low', 'moderate', 'high', 'very_high',
  // confidentiality, integrity, availability and security impact
  'none', 'medium',
  // zone trust
  'hostile', 'untrusted', 'controlled', 'trusted',
  // risk levels
  'acceptable', 'review', 'unacceptable',
];
const STRIDE = [
  'spoofing', 'tampering', 'repudiation', 'information_disclosure',
  'denial_of_service', 'elevation_of_privilege',
];
const VERIFICATION_METHODS = ['test', 'analysis', 'inspection', 'demonstration'];
/** Properties whose single identifier value comes from a fixed or open set of names, never an id. */
const ENUM_PROPERTIES = [
  'kind', 'fleet', 'controlled_by', 'option', 'status', 'type', 'method', 'result',
  'category', 'protocol', 'suggest', 'interfaces', 'lifecycle',
];
/** Of those, the ones that take lists. */
const ENUM_LIST_PROPERTIES = ['suggest', 'interfaces', 'lifecycle'];
/** Reserved words that are values: the element kinds of a rule's `applies_to`. */
const ELEMENT_KINDS = ['flow', 'component', 'actor'];

const ID = '[A-Za-z_][A-Za-z0-9_]*';
const alt = (words) => `(?:${words.join('|')})`;

// Mirrors the parser's recovery (spec §1): inside a block, a line whose first
// word is a top-level keyword not followed by `:` or `{` ends the block.
const BLOCK_RECOVERY = `(?=^\\s*${alt(TOP_LEVEL_KEYWORDS)}\\b(?!\\s*[:{]))`;
// Inside `[...]` and `(...)` a keyword alone may be a value (`applies_to:
// [flow]`), so only a line that looks like a declaration header (keyword, then
// an id or a string) ends an unclosed list or group.
const LIST_RECOVERY = `(?=^\\s*${alt(TOP_LEVEL_KEYWORDS)}\\s+[A-Za-z_"])`;

const scope = (name) => ({ name });

function stringRules(suffix, extraPatterns) {
  const inner = [...extraPatterns, { include: '#string-escape' }];
  return {
    [`string-triple${suffix}`]: {
      comment: '"""...""" spans lines; escapes apply',
      name: 'string.quoted.triple.ward',
      begin: '"""',
      beginCaptures: { 0: scope('punctuation.definition.string.begin.ward') },
      end: '"""',
      endCaptures: { 0: scope('punctuation.definition.string.end.ward') },
      patterns: inner,
    },
    [`string-double${suffix}`]: {
      comment: 'one line: an unterminated string stops at the end of its line',
      name: 'string.quoted.double.ward',
      begin: '"',
      beginCaptures: { 0: scope('punctuation.definition.string.begin.ward') },
      end: '(")|$',
      endCaptures: { 1: scope('punctuation.definition.string.end.ward') },
      patterns: inner,
    },
  };
}

function repository() {
  return {
    comments: {
      patterns: [
        { include: '#comment-doc' },
        { include: '#comment-line' },
        { include: '#comment-block' },
      ],
    },
    'comment-doc': {
      comment: '/// documents the next declaration; //// is an ordinary comment',
      name: 'comment.line.documentation.ward',
      match: '(///)(?!/).*',
      captures: { 1: scope('punctuation.definition.comment.ward') },
    },
    'comment-line': {
      name: 'comment.line.double-slash.ward',
      match: '(//).*',
      captures: { 1: scope('punctuation.definition.comment.ward') },
    },
    'comment-block': {
      comment: 'block comments nest',
      name: 'comment.block.ward',
      begin: '/\\*',
      beginCaptures: { 0: scope('punctuation.definition.comment.begin.ward') },
      end: '\\*/',
      endCaptures: { 0: scope('punctuation.definition.comment.end.ward') },
      patterns: [{ include: '#comment-block' }],
    },

    strings: { patterns: [{ include: '#string-triple' }, { include: '#string-double' }] },
    'rule-title': {
      patterns: [{ include: '#string-triple-template' }, { include: '#string-double-template' }],
    },
    ...stringRules('', []),
    ...stringRules('-template', [{ include: '#template-placeholder' }]),
    'string-escape': {
      patterns: [
        {
          name: 'constant.character.escape.ward',
          match: '\\\\(?:["\\\\nt]|u\\{[0-9A-Fa-f]{1,6}\\})',
        },
        { name: 'invalid.illegal.escape.ward', match: '\\\\.' },
      ],
    },
    'template-placeholder': {
      comment: 'rule titles only (spec §2): {path} renders an attribute; {{ and }} are literal braces',
      patterns: [
        { name: 'constant.character.escape.ward', match: '\\{\\{|\\}\\}' },
        {
          name: 'variable.other.placeholder.ward',
          match: `(\\{)${ID}(?:\\.${ID})*(\\})`,
          captures: {
            1: scope('punctuation.definition.placeholder.begin.ward'),
            2: scope('punctuation.definition.placeholder.end.ward'),
          },
        },
      ],
    },

    use: {
      comment: 'use std::stride | use "file.ward"',
      match: '\\b(use)\\b',
      captures: { 1: scope('keyword.other.use.ward') },
    },
    'rule-header': {
      comment: 'rule ID "title with {placeholders}" { ... }',
      name: 'meta.declaration.rule.ward',
      begin: `\\b(rule)\\b(?:\\s+(${ID}))?`,
      beginCaptures: { 1: scope('keyword.declaration.ward'), 2: scope('entity.name.type.ward') },
      end: `(?=[{}])|${BLOCK_RECOVERY}`,
      patterns: [{ include: '#comments' }, { include: '#rule-title' }, { include: '#values' }],
    },
    'flow-header': {
      comment: 'flow ID: FROM -> TO "title" { ... }',
      match: `\\b(flow)\\b(?:\\s+(${ID}))?`,
      captures: { 1: scope('keyword.declaration.ward'), 2: scope('entity.name.type.ward') },
    },
    'accept-header': {
      comment: 'accept THREAT_REF { ... } declares no id',
      match: '\\b(accept)\\b',
      captures: { 1: scope('keyword.declaration.ward') },
    },
    'disposition-header': {
      comment: 'disposition THREAT_REF { ... } declares no id',
      match: '\\b(disposition)\\b',
      captures: { 1: scope('keyword.declaration.ward') },
    },
    'declaration-header': {
      comment: 'KEYWORD ID "title"? (in REF)? { ... }',
      match: `\\b${'(' + DECLARATION_KEYWORDS.join('|') + ')'}\\b(?:\\s+(?!in\\b)(${ID}))?`,
      captures: { 1: scope('keyword.declaration.ward'), 2: scope('entity.name.type.ward') },
    },

    block: {
      name: 'meta.block.ward',
      begin: '\\{',
      beginCaptures: { 0: scope('punctuation.section.block.begin.ward') },
      end: `\\}|${BLOCK_RECOVERY}`,
      endCaptures: { 0: scope('punctuation.section.block.end.ward') },
      patterns: [{ include: '#block-body' }],
    },
    'block-body': {
      patterns: [
        { include: '#comments' },
        { include: '#enum-property' },
        { include: '#enum-list-property' },
        {
          comment: 'key { ... }: a block property',
          match: `\\b(${ID})\\s*(?=\\{)`,
          captures: { 1: scope('support.type.property-name.ward') },
        },
        {
          comment: 'key: value (a path separator :: is no key)',
          match: `\\b(${ID})\\s*(:)(?!:)`,
          captures: {
            1: scope('support.type.property-name.ward'),
            2: scope('punctuation.separator.key-value.ward'),
          },
        },
        { include: '#block' },
        { include: '#values' },
      ],
    },
    'enum-property': {
      comment: 'kind: device, method: test, ...: the value names a kind, not an id',
      match: `\\b(${ENUM_PROPERTIES.join('|')})\\s*(:)\\s*(${ID})\\b(?![.@(]|::)`,
      captures: {
        1: scope('support.type.property-name.ward'),
        2: scope('punctuation.separator.key-value.ward'),
        3: scope('constant.language.enum.ward'),
      },
    },
    'enum-list-property': {
      comment: 'suggest: [authentication, ...], interfaces: [ble, jtag]',
      begin: `\\b(${ENUM_LIST_PROPERTIES.join('|')})\\s*(:)\\s*(\\[)`,
      beginCaptures: {
        1: scope('support.type.property-name.ward'),
        2: scope('punctuation.separator.key-value.ward'),
        3: scope('punctuation.section.brackets.begin.ward'),
      },
      contentName: 'meta.list.ward',
      end: `\\]|${LIST_RECOVERY}`,
      endCaptures: { 0: scope('punctuation.section.brackets.end.ward') },
      patterns: [
        { include: '#comments' },
        { name: 'constant.language.enum.ward', match: `\\b${ID}\\b` },
        { name: 'punctuation.separator.comma.ward', match: ',' },
      ],
    },
    list: {
      name: 'meta.list.ward',
      begin: '\\[',
      beginCaptures: { 0: scope('punctuation.section.brackets.begin.ward') },
      end: `\\]|${LIST_RECOVERY}`,
      endCaptures: { 0: scope('punctuation.section.brackets.end.ward') },
      patterns: [{ include: '#comments' }, { include: '#values' }],
    },
    parens: {
      name: 'meta.group.ward',
      begin: '\\(',
      beginCaptures: { 0: scope('punctuation.section.parens.begin.ward') },
      end: `\\)|${LIST_RECOVERY}`,
      endCaptures: { 0: scope('punctuation.section.parens.end.ward') },
      patterns: [{ include: '#comments' }, { include: '#values' }],
    },

    values: {
      patterns: [
        { include: '#strings' },
        { include: '#list' },
        { include: '#parens' },
        { include: '#threat-ref' },
        { include: '#path' },
        { include: '#reverse-ref' },
        { include: '#call' },
        { include: '#number' },
        { include: '#boolean' },
        { include: '#word-operator' },
        { include: '#operator' },
        { include: '#level' },
        { include: '#stride' },
        { include: '#inline-method' },
        { include: '#element-kind' },
        { name: 'punctuation.accessor.ward', match: '\\.' },
        { name: 'punctuation.separator.comma.ward', match: ',' },
      ],
    },
    'threat-ref': {
      comment: 'RULE@ELEMENT names a rule-generated threat',
      name: 'meta.reference.threat.ward',
      match: `\\b(${ID})(@)(${ID})(?:(\\.)(reverse)\\b)?`,
      captures: {
        1: scope('entity.name.function.rule.ward'),
        2: scope('keyword.operator.ward'),
        3: scope('variable.other.element.ward'),
        4: scope('punctuation.accessor.ward'),
        5: scope('variable.language.reverse.ward'),
      },
    },
    path: {
      comment: 'std::stride, std::policy::iso14971_5x5',
      name: 'meta.path.ward',
      match: `\\b${ID}(?:::${ID})+\\b`,
      captures: {
        0: {
          patterns: [
            { name: 'keyword.operator.ward', match: '::' },
            { name: 'entity.name.namespace.ward', match: ID },
          ],
        },
      },
    },
    'reverse-ref': {
      comment: 'ID.reverse: the reverse direction of a <-> flow',
      match: `\\b(${ID})(\\.)(reverse)\\b`,
      captures: { 2: scope('punctuation.accessor.ward'), 3: scope('variable.language.reverse.ward') },
    },
    call: {
      comment: 'carries_kind(KIND), stores_kind(KIND), has_interface(NAME) in `when`',
      match: `\\b(${ID})(?=\\()`,
      captures: { 1: scope('support.function.ward') },
    },
    number: { name: 'constant.numeric.ward', match: '(?<![\\w.])\\d+(?:\\.\\d+)?(?![\\w.])' },
    boolean: { name: 'constant.language.boolean.ward', match: '\\b(?:true|false)\\b' },
    'word-operator': { name: 'keyword.operator.word.ward', match: '\\b(?:in|and|or|not)\\b' },
    operator: { name: 'keyword.operator.ward', match: '<->|->|::|==|!=|<=|>=|<|>|@' },
    level: {
      comment: 'the levels of the std policy scales, zone trust and risk',
      name: 'constant.language.level.ward',
      match: `\\b${alt(LEVELS)}\\b`,
    },
    stride: { name: 'constant.language.stride.ward', match: `\\b${alt(STRIDE)}\\b` },
    'element-kind': {
      comment: 'applies_to: flow | component | actor',
      name: 'constant.language.enum.ward',
      match: `\\b${alt(ELEMENT_KINDS)}\\b`,
    },
    'inline-method': {
      comment: 'METHOD "text": an inline verification item',
      match: `\\b(${VERIFICATION_METHODS.join('|')})\\b(?=\\s*")`,
      captures: { 1: scope('constant.language.method.ward') },
    },
  };
}

function grammar() {
  const repo = repository();
  return {
    name: 'Ward',
    scopeName: 'source.ward',
    fileTypes: ['ward'],
    patterns: [
      { include: '#comments' },
      { include: '#use' },
      { include: '#rule-header' },
      { include: '#flow-header' },
      { include: '#accept-header' },
      { include: '#disposition-header' },
      { include: '#declaration-header' },
      { include: '#block' },
      { name: 'punctuation.separator.colon.ward', match: ':(?!:)' },
      { include: '#values' },
    ],
    repository: Object.fromEntries(Object.keys(repo).sort().map((key) => [key, repo[key]])),
  };
}

const OUTPUT = path.join(__dirname, 'ward.tmLanguage.json');
const render = () => `${JSON.stringify(grammar(), null, 2)}\n`;

module.exports = {
  DECLARATION_KEYWORDS, TOP_LEVEL_KEYWORDS, LEVELS, STRIDE, OUTPUT, render,
};

if (require.main === module) {
  fs.writeFileSync(OUTPUT, render());
  process.stdout.write(`wrote ${path.relative(process.cwd(), OUTPUT)}\n`);
}
