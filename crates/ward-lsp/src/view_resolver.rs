//! Resolves each new snapshot's view on one worker thread, after its
//! diagnostics are published: hover and inlay hints then find it ready,
//! and an edit's diagnostics never wait for it. Only the latest snapshot
//! counts: one replaced before the worker gets to it is skipped.

use crate::workspace::Snapshot;
use crossbeam_channel::{Receiver, Sender};
use std::sync::{Arc, Weak};

#[derive(Default)]
pub struct ViewResolver {
    /// `None` until the first snapshot, or when no thread could be started
    /// (views are then resolved on first use).
    sender: Option<Sender<Weak<Snapshot>>>,
    started: bool,
}

impl ViewResolver {
    pub fn resolve(&mut self, snapshot: &Arc<Snapshot>) {
        if snapshot.analysis.is_none() {
            return;
        }
        if !self.started {
            self.started = true;
            let (sender, receiver) = crossbeam_channel::unbounded();
            let spawned = std::thread::Builder::new()
                .name("ward-lsp-view".into())
                .spawn(move || work(receiver));
            match spawned {
                Ok(_) => self.sender = Some(sender),
                Err(_) => eprintln!("ward-lsp: no thread for views; each is resolved on first use"),
            }
        }
        if let Some(sender) = &self.sender {
            let _ = sender.send(Arc::downgrade(snapshot));
        }
    }
}

fn work(receiver: Receiver<Weak<Snapshot>>) {
    while let Ok(mut latest) = receiver.recv() {
        // Skip to the newest snapshot sent meanwhile.
        while let Ok(newer) = receiver.try_recv() {
            latest = newer;
        }
        if let Some(snapshot) = latest.upgrade() {
            snapshot.view();
        }
    }
}
