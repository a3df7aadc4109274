//! The test harness: tabs over one shared FAPI, cookie jar and broadcast bus, and the app's
//! router.

use super::*;

// ---------------------------------------------------------------- harness

pub struct Tab {
    pub clerk: Clerk,
    pub page: Rc<FakePage>,
    pub emitted: Rc<RefCell<Vec<Rc<ClerkState>>>>,
    _sub: crate::client::Subscription,
}

impl Tab {
    pub fn emits(&self) -> usize {
        self.emitted.borrow().len()
    }
}

pub struct Harness {
    pub pool: RefCell<LocalPool>,
    pub clock: Rc<FakeClock>,
    pub fapi: Rc<RefCell<FakeFapi>>,
    pub cookies: Rc<FakeCookies>,
    pub storage: Rc<FakeStorage>,
    pub bus: Rc<Bus>,
    pub hold: Rc<Cell<bool>>,
    pub held: Rc<RefCell<Vec<oneshot::Sender<()>>>>,
    /// See [`FakeTransport::late`].
    pub late: Rc<Cell<usize>>,
    /// Stalled requests whose future was dropped (timed out / aborted).
    pub abandoned: Rc<Cell<usize>>,
    pub key: String,
    tabs: Cell<usize>,
}

pub const T0: i64 = 1_767_312_000_000;

impl Harness {
    pub fn new(development: bool) -> Harness {
        let pool = LocalPool::new();
        let bus = Rc::new(Bus {
            listeners: RefCell::new(Vec::new()),
            spawner: pool.spawner(),
            posted: RefCell::new(Vec::new()),
        });
        let instance = if development {
            InstanceType::Development
        } else {
            InstanceType::Production
        };
        Harness {
            pool: RefCell::new(pool),
            clock: FakeClock::new(T0),
            fapi: Rc::new(RefCell::new(FakeFapi::new(development))),
            cookies: Rc::new(FakeCookies::default()),
            storage: Rc::new(FakeStorage::default()),
            bus,
            hold: Rc::new(Cell::new(false)),
            held: Rc::new(RefCell::new(Vec::new())),
            late: Rc::new(Cell::new(0)),
            abandoned: Rc::new(Cell::new(0)),
            key: build_publishable_key("clerk.example.test", instance),
            tabs: Cell::new(0),
        }
    }

    pub fn platform(&self, page: Rc<FakePage>) -> Platform {
        let tab = self.tabs.get();
        self.tabs.set(tab + 1);
        Platform {
            transport: Rc::new(FakeTransport {
                fapi: self.fapi.clone(),
                clock: self.clock.clone(),
                hold: self.hold.clone(),
                held: self.held.clone(),
                late: self.late.clone(),
                abandoned: self.abandoned.clone(),
            }),
            clock: self.clock.clone(),
            storage: self.storage.clone(),
            cookies: self.cookies.clone(),
            broadcast: Rc::new(FakeBroadcast {
                bus: self.bus.clone(),
                tab,
            }),
            page,
            spawner: Rc::new(PoolSpawner(self.pool.borrow().spawner())),
        }
    }

    pub fn options(&self) -> ClerkOptions {
        ClerkOptions::new(self.key.clone()).with_proxy_url("http://127.0.0.1:7450")
    }

    pub fn tab_with(&self, options: ClerkOptions, page: Rc<FakePage>) -> Tab {
        let clerk = Clerk::new(options, self.platform(page.clone()));
        let emitted = Rc::new(RefCell::new(Vec::new()));
        let e = emitted.clone();
        let sub = clerk.subscribe(Rc::new(move |s| e.borrow_mut().push(s)));
        Tab {
            clerk,
            page,
            emitted,
            _sub: sub,
        }
    }

    pub fn tab(&self) -> Tab {
        self.tab_with(self.options(), FakePage::new("http://localhost:8080/"))
    }

    /// A loaded tab.
    pub fn loaded_tab(&self) -> Tab {
        let tab = self.tab();
        let c = tab.clerk.clone();
        self.run(async move { c.load().await });
        tab
    }

    pub fn spawn<F: std::future::Future<Output = ()> + 'static>(&self, f: F) {
        let _ = self.pool.borrow().spawner().spawn_local(f);
    }

    pub fn settle(&self) {
        self.pool.borrow_mut().run_until_stalled();
    }

    /// Runs `fut` to completion, advancing fake time only while it is stalled.
    pub fn run<T: 'static, F: std::future::Future<Output = T> + 'static>(&self, fut: F) -> T {
        let (tx, mut rx) = oneshot::channel();
        self.spawn(async move {
            let _ = tx.send(fut.await);
        });
        for _ in 0..1000 {
            self.settle();
            if let Ok(Some(v)) = rx.try_recv() {
                return v;
            }
            match self.clock.next_wake() {
                Some(t) => {
                    self.clock.set(t);
                    self.clock.fire_due();
                }
                None => panic!("future stalled with no timer pending"),
            }
        }
        panic!("future did not finish")
    }

    /// Advances fake time by `ms`, waking timers in order and running tasks in between.
    pub fn advance(&self, ms: i64) {
        let target = self.clock.now() + ms;
        loop {
            self.settle();
            match self.clock.next_wake() {
                Some(t) if t <= target => {
                    self.clock.set(t);
                    self.clock.fire_due();
                }
                _ => break,
            }
        }
        self.clock.set(target);
        self.clock.fire_due();
        self.settle();
    }

    pub fn release(&self) {
        self.hold.set(false);
        self.late.set(0);
        for tx in self.held.borrow_mut().drain(..) {
            let _ = tx.send(());
        }
        self.settle();
    }

    pub fn session_cookie(&self) -> Option<String> {
        self.cookies.value("__session")
    }
}

// ---------------------------------------------------------------- router

/// The app's router (clerk-react's `routerPush`/`routerReplace`): records the in-app
/// navigations; `FakePage::navigated` keeps the full page loads.
#[derive(Default)]
pub struct FakeRouter {
    pub pushed: RefCell<Vec<String>>,
    pub replaced: RefCell<Vec<String>>,
    /// Paths it declines (`Router::navigate` returns false): outside its base path.
    pub declines: RefCell<Vec<String>>,
}

impl crate::client::Router for FakeRouter {
    fn navigate(&self, path: &str, how: crate::client::Navigation) -> bool {
        if self.declines.borrow().iter().any(|p| path.starts_with(p)) {
            return false;
        }
        match how {
            crate::client::Navigation::Push => self.pushed.borrow_mut().push(path.into()),
            crate::client::Navigation::Replace => self.replaced.borrow_mut().push(path.into()),
        }
        true
    }
}

impl Tab {
    /// Installs a [`FakeRouter`] on this tab's engine.
    pub fn with_router(&self) -> Rc<FakeRouter> {
        let router = Rc::new(FakeRouter::default());
        self.clerk.set_router(Some(router.clone()));
        router
    }
}
