//! A progress line on stderr for steps that run longer than a second, shown
//! only on a terminal (CI logs stay clean).

use std::io::{IsTerminal, Write};
use std::sync::mpsc::{channel, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub struct Progress {
    done: Option<Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Progress {
    pub fn start(step: &'static str) -> Progress {
        if !std::io::stderr().is_terminal() {
            return Progress {
                done: None,
                thread: None,
            };
        }
        let (done, wait) = channel();
        let thread = std::thread::spawn(move || {
            let started = Instant::now();
            if wait.recv_timeout(Duration::from_secs(1)) != Err(RecvTimeoutError::Timeout) {
                return;
            }
            let spinner = ['|', '/', '-', '\\'];
            for tick in 0.. {
                eprint!(
                    "\r{} {step}... {:.0}s",
                    spinner[tick % 4],
                    started.elapsed().as_secs_f64()
                );
                let _ = std::io::stderr().flush();
                if wait.recv_timeout(Duration::from_millis(200)) != Err(RecvTimeoutError::Timeout) {
                    break;
                }
            }
            eprint!("\r\x1b[2K");
        });
        Progress {
            done: Some(done),
            thread: Some(thread),
        }
    }

    pub fn finish(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        if let Some(done) = self.done.take() {
            let _ = done.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.stop();
    }
}
