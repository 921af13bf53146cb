//! Independent pieces of work (loading subcharts, parsing template files) spread over the
//! machine's cores with scoped standard-library threads.
//!
//! Results always come back in input order, so callers see exactly what a sequential loop
//! would give, including which error comes first. Work started from inside a worker runs
//! sequentially, so nesting (a subchart's subcharts) never multiplies the threads.

use std::cell::Cell;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use parking_lot::Mutex;

thread_local! {
    static IN_WORKER: Cell<bool> = const { Cell::new(false) };
}

/// The number of threads to use: `CHART_THREADS` when set to a positive number, else the
/// cores available to the process (at most 8).
fn thread_budget() -> usize {
    static BUDGET: OnceLock<usize> = OnceLock::new();
    *BUDGET.get_or_init(|| {
        std::env::var("CHART_THREADS")
            .ok()
            .and_then(|s| s.trim().parse::<usize>().ok())
            .filter(|&n| n > 0)
            .unwrap_or_else(|| {
                std::thread::available_parallelism()
                    .map_or(1, |n| n.get())
                    .min(8)
            })
    })
}

/// Applies `f` to every item and returns the results in input order. `worth_it` says whether
/// the work is big enough to pay for starting threads; when it is false, when there is one
/// core, or when called from a worker, the items are processed on the calling thread.
pub(crate) fn map<T: Send, R: Send>(
    items: Vec<T>,
    worth_it: bool,
    f: impl Fn(T) -> R + Sync,
) -> Vec<R> {
    let threads = thread_budget().min(items.len());
    if !worth_it || threads <= 1 || IN_WORKER.get() {
        return items.into_iter().map(f).collect();
    }
    let slots: Vec<Mutex<Option<T>>> = items.into_iter().map(|t| Mutex::new(Some(t))).collect();
    let results: Vec<Mutex<Option<R>>> = slots.iter().map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    let work = || {
        let was_worker = IN_WORKER.replace(true);
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(slot) = slots.get(i) else { break };
            if let Some(item) = slot.lock().take() {
                let r = f(item);
                *results[i].lock() = Some(r);
            }
        }
        IN_WORKER.set(was_worker);
    };
    std::thread::scope(|s| {
        for _ in 1..threads {
            // A thread that cannot start (a process limit) leaves its share to the others:
            // the calling thread always works through the whole queue.
            if std::thread::Builder::new().spawn_scoped(s, work).is_err() {
                break;
            }
        }
        work();
    });
    results
        .into_iter()
        .map(|r| r.into_inner().expect("every item was processed"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_input_order_and_nesting_stays_on_the_worker() {
        let items: Vec<usize> = (0..100).collect();
        let out = map(items, true, |i| {
            // A nested map runs on the worker that called it.
            let inner = map(vec![i, i + 1], true, |j| {
                (j * 2, std::thread::current().id())
            });
            assert!(
                inner
                    .iter()
                    .all(|(_, id)| *id == std::thread::current().id())
            );
            inner.iter().map(|(v, _)| v).sum::<usize>()
        });
        let expected: Vec<usize> = (0..100).map(|i| 4 * i + 2).collect();
        assert_eq!(out, expected);
    }

    #[test]
    fn small_work_stays_on_the_calling_thread() {
        let me = std::thread::current().id();
        let out = map(vec![1, 2, 3], false, |_| std::thread::current().id());
        assert!(out.iter().all(|id| *id == me));
    }
}
