use crate::client::ports::{LocalFuture, Spawner};

/// [`Spawner`] on `wasm_bindgen_futures::spawn_local` (the page's microtask queue).
#[derive(Debug, Clone, Copy, Default)]
pub struct LocalSpawner;

impl Spawner for LocalSpawner {
    fn spawn(&self, task: LocalFuture<()>) {
        wasm_bindgen_futures::spawn_local(task);
    }
}
