//! The connection under every [`super::OrgDb`]: the seam where layer 5
//! lives.
//!
//! On PostgreSQL a scope is one transaction that begins with
//! `set_config('app.current_organization_id', <org>, true)` — the
//! transaction-local form only, so nothing survives on a pooled connection —
//! and every statement of the request (resolvers, dataloader batches,
//! mutations, as savepoints) runs inside it; row-level security then stops
//! whatever the layers above miss. On SQLite, where there is no RLS, a
//! request scope uses the pool and mutations open their own transactions;
//! [`ScopedConn::open_tx`] gives a transaction on both.

use std::{
    fmt,
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
};

use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, ExecResult, QueryResult, Statement,
    TransactionTrait,
};
use tokio::sync::RwLock;
use uuid::Uuid;

/// How many SQL statements a scope issued: the queries the request asked
/// for, and the transaction framing around them (BEGIN, set_config,
/// SAVEPOINT, RELEASE, COMMIT), counted apart.
#[derive(Debug, Default)]
pub struct StatementCount {
    queries: AtomicU64,
    framing: AtomicU64,
}

impl StatementCount {
    fn query(&self) {
        self.queries.fetch_add(1, Ordering::Relaxed);
    }
    fn framing(&self) {
        self.framing.fetch_add(1, Ordering::Relaxed);
    }
    /// `(queries, framing)` so far.
    pub fn get(&self) -> (u64, u64) {
        (
            self.queries.load(Ordering::Relaxed),
            self.framing.load(Ordering::Relaxed),
        )
    }
}

#[derive(Clone)]
pub struct ScopedConn(Arc<Inner>, Arc<StatementCount>);

enum Inner {
    /// No transaction: statements go to the pool (SQLite request scopes).
    Pool(DatabaseConnection),
    /// One transaction for the whole scope. Loaders share it through the
    /// `Arc`; `finish` takes it under the write lock, so it commits only
    /// after every in-flight statement is done.
    Tx {
        backend: DbBackend,
        tx: RwLock<Option<DatabaseTransaction>>,
    },
}

impl fmt::Debug for ScopedConn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.0 {
            Inner::Pool(_) => f.write_str("ScopedConn::Pool"),
            Inner::Tx { .. } => f.write_str("ScopedConn::Tx"),
        }
    }
}

fn finished() -> DbErr {
    DbErr::Custom("the request's transaction has already finished".into())
}

/// Run `$call` with `$c` bound to where the scope's statements go: the pool,
/// or the scope's transaction while it is open.
macro_rules! on_conn {
    ($scope:expr, |$c:ident| $call:expr) => {
        match &*$scope.0 {
            Inner::Pool($c) => $call.await,
            Inner::Tx { tx, .. } => {
                let open = tx.read().await;
                let $c = open.as_ref().ok_or_else(finished)?;
                $call.await
            }
        }
    };
}

/// The statement that binds a transaction to an organization.
pub const SET_ORG_SQL: &str = "SELECT set_config('app.current_organization_id', $1, true)";

impl ScopedConn {
    /// A request scope: a transaction bound to `org` on PostgreSQL, the pool
    /// on SQLite.
    pub async fn open(db: &DatabaseConnection, org: Uuid) -> Result<Self, DbErr> {
        match db.get_database_backend() {
            DbBackend::Postgres => Self::open_tx(db, org).await,
            _ => Ok(ScopedConn(Arc::new(Inner::Pool(db.clone())), Arc::default())),
        }
    }

    /// A transaction bound to `org` on every backend (operator tools that
    /// need several writes to be atomic on SQLite too).
    pub async fn open_tx(db: &DatabaseConnection, org: Uuid) -> Result<Self, DbErr> {
        let backend = db.get_database_backend();
        let count = Arc::new(StatementCount::default());
        let tx = db.begin().await?;
        count.framing();
        if backend == DbBackend::Postgres {
            tx.execute_raw(Statement::from_sql_and_values(
                backend,
                SET_ORG_SQL,
                [org.to_string().into()],
            ))
            .await?;
            count.framing();
        }
        Ok(ScopedConn(
            Arc::new(Inner::Tx {
                backend,
                tx: RwLock::new(Some(tx)),
            }),
            count,
        ))
    }

    /// Commit the scope's transaction (nothing to do on the pool). Later
    /// statements through this scope fail.
    pub async fn finish(&self) -> Result<(), DbErr> {
        match &*self.0 {
            Inner::Pool(_) => Ok(()),
            Inner::Tx { tx, .. } => match tx.write().await.take() {
                Some(tx) => {
                    self.1.framing();
                    tx.commit().await
                }
                None => Ok(()),
            },
        }
    }

    /// A nested transaction: a savepoint inside the scope's transaction, or
    /// a transaction of its own on the pool.
    pub async fn begin(&self) -> Result<CountedTx, DbErr> {
        let tx = on_conn!(self, |c| c.begin())?;
        self.1.framing();
        Ok(CountedTx {
            tx,
            count: self.1.clone(),
        })
    }

    /// Run transaction framing (a SAVEPOINT command) as part of the scope.
    pub(crate) async fn framing(&self, sql: &str) -> Result<(), DbErr> {
        self.1.framing();
        on_conn!(self, |c| c.execute_unprepared(sql)).map(|_| ())
    }

    /// The statements this scope has issued so far.
    pub fn statements(&self) -> &StatementCount {
        &self.1
    }

    /// Whether statements run in one scope-wide transaction.
    pub fn is_transaction(&self) -> bool {
        matches!(&*self.0, Inner::Tx { .. })
    }
}

/// A nested transaction of a scope (a savepoint on PostgreSQL), counting
/// its statements into the scope's count.
pub struct CountedTx {
    tx: DatabaseTransaction,
    count: Arc<StatementCount>,
}

impl fmt::Debug for CountedTx {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CountedTx")
    }
}

impl CountedTx {
    pub async fn commit(self) -> Result<(), DbErr> {
        self.count.framing();
        self.tx.commit().await
    }

    pub async fn rollback(self) -> Result<(), DbErr> {
        self.count.framing();
        self.tx.rollback().await
    }
}

#[async_trait::async_trait]
impl ConnectionTrait for CountedTx {
    fn get_database_backend(&self) -> DbBackend {
        self.tx.get_database_backend()
    }
    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        self.count.query();
        self.tx.execute_raw(stmt).await
    }
    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        self.count.query();
        self.tx.execute_unprepared(sql).await
    }
    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        self.count.query();
        self.tx.query_one_raw(stmt).await
    }
    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        self.count.query();
        self.tx.query_all_raw(stmt).await
    }
}

#[async_trait::async_trait]
impl ConnectionTrait for ScopedConn {
    fn get_database_backend(&self) -> DbBackend {
        match &*self.0 {
            Inner::Pool(db) => db.get_database_backend(),
            Inner::Tx { backend, .. } => *backend,
        }
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        self.1.query();
        on_conn!(self, |c| c.execute_raw(stmt))
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        self.1.query();
        on_conn!(self, |c| c.execute_unprepared(sql))
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        self.1.query();
        on_conn!(self, |c| c.query_one_raw(stmt))
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        self.1.query();
        on_conn!(self, |c| c.query_all_raw(stmt))
    }
}
