use crate::config::WebConfig;
use crate::i18n::I18n;
use crate::metrics::Metrics;
use crate::module::{AdminSection, GatedAction, Module, NavItem};
use crate::rate_limit::RateLimiter;
use crate::templates::Templates;
use hromada_db::Db;
use hromada_kernel::{Clock, DomainEvent};
use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::Arc;

/// Everything a handler may need; cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    pub config: WebConfig,
    pub templates: Templates,
    pub i18n: Arc<I18n>,
    pub limiter: RateLimiter,
    pub metrics: Metrics,
    pub cache: crate::cache::NodeCache,
    /// Public navigation entries from the registered modules, in registry order.
    pub nav: Vec<NavItem>,
    /// Scripts the modules add to every page of a community (see [`Module::page_scripts`]).
    pub page_scripts: Vec<&'static str>,
    pub admin_sections: Vec<AdminSection>,
    pub gated_actions: Vec<GatedAction>,
    /// The registered modules, for dashboards and exports.
    pub modules: Vec<Arc<dyn Module>>,
    /// API tokens used since the last flush: `(community, token hash) → when`.
    pub token_uses: std::sync::Mutex<TokenUses>,
    listeners: Vec<Listener>,
    extensions: HashMap<TypeId, Box<dyn Any + Send + Sync>>,
}

impl AppState {
    /// Hands an event to every listener the app wired, in order. The publisher's own change is
    /// already committed; a listener that fails is logged and does not undo it.
    pub async fn publish(&self, event: DomainEvent) {
        if self.listeners.is_empty() {
            tracing::info!(event = event.name(), "event published; nobody listens to it in this installation");
        }
        for listener in &self.listeners {
            if let Err(e) = listener(self.clone(), event.clone()).await {
                tracing::error!(event = event.name(), error = %e, "an event listener failed");
            }
        }
    }
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

pub struct AppStateBuilder {
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    pub config: WebConfig,
    pub templates: Templates,
    pub i18n: Arc<I18n>,
    pub nav: Vec<NavItem>,
    pub page_scripts: Vec<&'static str>,
    pub admin_sections: Vec<AdminSection>,
    pub gated_actions: Vec<GatedAction>,
    pub modules: Vec<Arc<dyn Module>>,
    /// Background tasks (writers) to await at shutdown; they end once the state is dropped.
    pub tasks: Vec<tokio::task::JoinHandle<()>>,
    /// Work to run every so often with the full state (closing ended collections, reminders).
    pub jobs: Vec<Job>,
    /// Who acts on the modules' events; the app wires them.
    pub listeners: Vec<Listener>,
    extensions: HashMap<TypeId, Box<dyn Any + Send + Sync>>,
}

/// API tokens used since the last flush: `(community, token hash) → when`.
pub type TokenUses = HashMap<(hromada_kernel::CommunityId, Vec<u8>), chrono::DateTime<chrono::Utc>>;

/// Acts on a [`DomainEvent`] another module published.
pub type Listener =
    Arc<dyn Fn(AppState, DomainEvent) -> futures::future::BoxFuture<'static, anyhow::Result<()>> + Send + Sync>;

/// A periodic job of a module.
#[derive(Clone)]
pub struct Job {
    pub name: &'static str,
    pub every: std::time::Duration,
    pub run: Arc<dyn Fn(AppState) -> futures::future::BoxFuture<'static, anyhow::Result<()>> + Send + Sync>,
}

/// What [`AppStateBuilder::build`] gives: the state, writer tasks to await at shutdown, and jobs to schedule.
pub struct Built {
    pub state: AppState,
    pub tasks: Vec<tokio::task::JoinHandle<()>>,
    pub jobs: Vec<Job>,
}

impl AppStateBuilder {
    pub fn new(db: Db, clock: Arc<dyn Clock>, config: WebConfig, templates: Templates, i18n: Arc<I18n>) -> Self {
        Self {
            db,
            clock,
            config,
            templates,
            i18n,
            nav: vec![],
            page_scripts: vec![],
            admin_sections: vec![],
            gated_actions: vec![],
            modules: vec![],
            tasks: vec![],
            jobs: vec![],
            listeners: vec![],
            extensions: HashMap::new(),
        }
    }

    /// Gives handlers a shared value of a module's own (a writer handle, a client).
    pub fn extension<T: Send + Sync + 'static>(&mut self, value: T) {
        self.extensions.insert(TypeId::of::<T>(), Box::new(value));
    }

    pub fn build(self) -> Built {
        let cache = crate::cache::NodeCache::new(self.config.cache_ttl);
        let state = AppState(Arc::new(Inner {
            db: self.db,
            clock: self.clock,
            config: self.config,
            templates: self.templates,
            i18n: self.i18n,
            limiter: RateLimiter::default(),
            metrics: Metrics::default(),
            cache,
            nav: self.nav,
            page_scripts: self.page_scripts,
            admin_sections: self.admin_sections,
            gated_actions: self.gated_actions,
            modules: self.modules,
            token_uses: Default::default(),
            listeners: self.listeners,
            extensions: self.extensions,
        }));
        Built { state, tasks: self.tasks, jobs: self.jobs }
    }
}

impl Inner {
    /// A value registered with [`AppStateBuilder::extension`].
    pub fn extension<T: Send + Sync + 'static>(&self) -> Option<&T> {
        self.extensions.get(&TypeId::of::<T>()).and_then(|b| b.downcast_ref())
    }

    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }

    /// Writes the API token uses noted since the last call.
    pub async fn flush_token_uses(&self) -> Result<(), hromada_db::DbError> {
        let uses: Vec<_> = {
            let mut map = self.token_uses.lock().expect("token uses lock");
            map.drain().map(|((c, h), at)| (c, h, at)).collect()
        };
        hromada_db::core::tokens::touch_api_tokens(&self.db, &uses).await
    }

    /// Writes one audit log entry, timestamped now.
    pub async fn audit(
        &self,
        community: Option<hromada_kernel::CommunityId>,
        actor: &hromada_db::core::audit::Actor,
        action: &str,
        target_type: &str,
        target_id: impl ToString,
        summary: &str,
    ) -> Result<(), hromada_db::DbError> {
        let target = target_id.to_string();
        hromada_db::core::audit::record(
            &self.db,
            community,
            actor,
            action,
            target_type,
            Some(&target),
            summary,
            self.now(),
        )
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hromada_kernel::SystemClock;

    #[tokio::test]
    async fn every_listener_hears_a_published_event_even_after_one_fails() {
        let db = Db::connect("sqlite::memory:").await.unwrap();
        let i18n = Arc::new(I18n::new(&[]).unwrap());
        let templates = Templates::new(&[], None, i18n.clone()).unwrap();
        let mut builder =
            AppStateBuilder::new(db, Arc::new(SystemClock), WebConfig::for_tests(b"secret"), templates, i18n);
        let heard = Arc::new(std::sync::Mutex::new(vec![]));
        builder.listeners.push(Arc::new(|_, _| Box::pin(async { anyhow::bail!("this one is broken") })));
        let log = heard.clone();
        builder.listeners.push(Arc::new(move |_, event: DomainEvent| {
            let log = log.clone();
            Box::pin(async move {
                log.lock().unwrap().push(event.name());
                Ok(())
            })
        }));
        let state = builder.build().state;
        let event = DomainEvent::PetitionPassedAsAppeal {
            community: hromada_kernel::new_id(),
            petition: hromada_kernel::new_id(),
            number: 7,
            author: hromada_kernel::new_id(),
            title: "Сквер".into(),
            body: "Текст".into(),
            signatures: 12,
            at: chrono::Utc::now(),
        };
        state.publish(event).await;
        assert_eq!(*heard.lock().unwrap(), vec!["petition.passed_as_appeal"]);
    }
}
