//! Fakes of the engine's ports: clock, storage, cookies, broadcast, page and spawner.

use super::*;

// ---------------------------------------------------------------- clock

#[derive(Default)]
pub struct FakeClock {
    now: Cell<i64>,
    sleepers: RefCell<Vec<(i64, oneshot::Sender<()>)>>,
}

impl FakeClock {
    pub fn new(now: i64) -> Rc<Self> {
        let c = FakeClock::default();
        c.now.set(now);
        Rc::new(c)
    }
    pub fn now(&self) -> i64 {
        self.now.get()
    }
    pub fn next_wake(&self) -> Option<i64> {
        self.sleepers.borrow().iter().map(|(t, _)| *t).min()
    }
    pub fn pending_sleepers(&self) -> usize {
        self.sleepers
            .borrow()
            .iter()
            .filter(|(_, s)| !s.is_canceled())
            .count()
    }
    pub(super) fn set(&self, t: i64) {
        if t > self.now.get() {
            self.now.set(t);
        }
    }
    pub(super) fn fire_due(&self) {
        let now = self.now.get();
        let due: Vec<_> = {
            let mut s = self.sleepers.borrow_mut();
            let (due, rest): (Vec<_>, Vec<_>) = s.drain(..).partition(|(t, _)| *t <= now);
            *s = rest;
            due
        };
        for (_, tx) in due {
            let _ = tx.send(());
        }
    }
}

impl Clock for FakeClock {
    fn now_ms(&self) -> i64 {
        self.now.get()
    }
    fn sleep(&self, ms: u32) -> LocalFuture<()> {
        let (tx, rx) = oneshot::channel();
        if ms == 0 {
            let _ = tx.send(());
        } else {
            self.sleepers
                .borrow_mut()
                .push((self.now.get() + i64::from(ms), tx));
        }
        Box::pin(async move {
            // A dropped sender (never happens here) would also just end the sleep.
            let _ = rx.await;
        })
    }
}

// ---------------------------------------------------------------- storage, cookies

#[derive(Default)]
pub struct FakeStorage(pub RefCell<HashMap<String, String>>);
impl FakeStorage {
    /// Writes a value as another script of the page would (tampering).
    pub fn set_raw(&self, key: &str, value: &str) {
        self.0.borrow_mut().insert(key.into(), value.into());
    }
}
impl KeyValueStore for FakeStorage {
    fn get(&self, key: &str) -> Option<String> {
        self.0.borrow().get(key).cloned()
    }
    fn set(&self, key: &str, value: &str) {
        self.0.borrow_mut().insert(key.into(), value.into());
    }
    fn remove(&self, key: &str) {
        self.0.borrow_mut().remove(key);
    }
}

#[derive(Default)]
pub struct FakeCookies(pub RefCell<BTreeMap<String, (String, i64)>>);
impl FakeCookies {
    pub fn value(&self, name: &str) -> Option<String> {
        self.0.borrow().get(name).map(|(v, _)| v.clone())
    }
    pub fn names(&self) -> Vec<String> {
        self.0.borrow().keys().cloned().collect()
    }
}
impl CookieJar for FakeCookies {
    fn get(&self, name: &str) -> Option<String> {
        self.value(name)
    }
    fn set(&self, name: &str, value: &str, max_age_secs: i64) {
        self.0
            .borrow_mut()
            .insert(name.into(), (value.into(), max_age_secs));
    }
    fn remove(&self, name: &str) {
        self.0.borrow_mut().remove(name);
    }
}

// ---------------------------------------------------------------- broadcast

pub struct Bus {
    pub(super) listeners: RefCell<Vec<(usize, Weak<dyn Fn(TabMessage)>)>>,
    pub(super) spawner: LocalSpawner,
    pub posted: RefCell<Vec<(usize, TabMessage)>>,
}

pub struct FakeBroadcast {
    pub(super) bus: Rc<Bus>,
    pub(super) tab: usize,
}

impl Broadcast for FakeBroadcast {
    fn post(&self, message: TabMessage) {
        self.bus
            .posted
            .borrow_mut()
            .push((self.tab, message.clone()));
        let targets: Vec<Rc<dyn Fn(TabMessage)>> = self
            .bus
            .listeners
            .borrow()
            .iter()
            .filter(|(t, _)| *t != self.tab)
            .filter_map(|(_, l)| l.upgrade())
            .collect();
        // Delivered asynchronously, like BroadcastChannel.
        let _ = self.bus.spawner.spawn_local(async move {
            for l in targets {
                l(message.clone());
            }
        });
    }
    fn subscribe(&self, listener: Rc<dyn Fn(TabMessage)>) -> Box<dyn std::any::Any> {
        self.bus
            .listeners
            .borrow_mut()
            .push((self.tab, Rc::downgrade(&listener)));
        Box::new(listener)
    }
}

// ---------------------------------------------------------------- page

#[derive(Default)]
pub struct FakePage {
    pub url: RefCell<String>,
    pub origin: String,
    pub replaced: RefCell<Vec<String>>,
    pub navigated: RefCell<Vec<String>>,
    pub online: Cell<bool>,
    pub focused: Cell<bool>,
    focus_listeners: RefCell<Vec<Weak<dyn Fn()>>>,
    pub prefetched: RefCell<HashMap<String, Result<HttpResponse, TransportError>>>,
    /// Paths whose prefetched response never arrives.
    pub prefetch_stalled: RefCell<Vec<String>>,
    online_listeners: RefCell<Vec<Weak<dyn Fn()>>>,
    /// What `Page::warn` was given (the console warnings a developer would see).
    pub warnings: RefCell<Vec<String>>,
}

impl FakePage {
    pub fn new(url: &str) -> Rc<Self> {
        Rc::new(FakePage {
            url: RefCell::new(url.into()),
            origin: "http://localhost:8080".into(),
            online: Cell::new(true),
            focused: Cell::new(true),
            ..Default::default()
        })
    }
    pub fn focus(&self) {
        fire(&self.focus_listeners);
    }
    /// The browser comes back online: `navigator.onLine` turns true and `online` fires.
    pub fn go_online(&self) {
        self.online.set(true);
        fire(&self.online_listeners);
    }
    pub fn live_focus_listeners(&self) -> usize {
        self.focus_listeners
            .borrow()
            .iter()
            .filter(|w| w.upgrade().is_some())
            .count()
    }
}

impl Page for FakePage {
    fn url(&self) -> String {
        self.url.borrow().clone()
    }
    fn origin(&self) -> String {
        self.origin.clone()
    }
    fn replace_url(&self, url: &str) {
        *self.url.borrow_mut() = url.into();
        self.replaced.borrow_mut().push(url.into());
    }
    fn warn(&self, message: &str) {
        self.warnings.borrow_mut().push(message.into());
    }
    fn navigate(&self, url: &str) {
        self.navigated.borrow_mut().push(url.into());
    }
    fn is_online(&self) -> bool {
        self.online.get()
    }
    fn has_focus(&self) -> bool {
        self.focused.get()
    }
    fn on_focus(&self, listener: Rc<dyn Fn()>) -> Box<dyn std::any::Any> {
        self.focus_listeners
            .borrow_mut()
            .push(Rc::downgrade(&listener));
        Box::new(listener)
    }
    fn take_prefetched(
        &self,
        path: &str,
    ) -> Option<LocalFuture<Result<HttpResponse, TransportError>>> {
        if self.prefetch_stalled.borrow().iter().any(|p| p == path) {
            return Some(Box::pin(futures::future::pending()));
        }
        let r = self.prefetched.borrow_mut().remove(path)?;
        Some(Box::pin(async move { r }))
    }
    fn on_online(&self, listener: Rc<dyn Fn()>) -> Box<dyn std::any::Any> {
        self.online_listeners
            .borrow_mut()
            .push(Rc::downgrade(&listener));
        Box::new(listener)
    }
}

pub struct PoolSpawner(pub LocalSpawner);
impl Spawner for PoolSpawner {
    fn spawn(&self, task: LocalFuture<()>) {
        let _ = self.0.spawn_local(task);
    }
}

/// Calls every listener still alive. They are collected first: a listener may register or
/// drop listeners while it runs.
fn fire(listeners: &RefCell<Vec<Weak<dyn Fn()>>>) {
    let alive: Vec<_> = listeners
        .borrow()
        .iter()
        .filter_map(Weak::upgrade)
        .collect();
    for listener in alive {
        listener();
    }
}
