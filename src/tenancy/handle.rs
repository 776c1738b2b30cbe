//! The org-scoped database handle.
//!
//! Resolvers and services never see a raw connection: they get an [`OrgDb`]
//! bound to one organization. Every select it builds is filtered by that
//! organization, every insert is stamped with it, every update and delete is
//! confined to it. It is also the single seam where a per-request
//! PostgreSQL transaction (with `app.current_organization_id` set) plugs in:
//! the connection type `C` is a pool today and can be a transaction.

use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    IdenStatic, IntoActiveModel, IntoSimpleExpr, Order, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    QueryTrait, Select,
    sea_query::{Alias, Asterisk, Expr, ExprTrait, IntoCondition, Query, SimpleExpr, WindowStatement},
};
use uuid::Uuid;

use super::{CountedTx, OrgFilter, ScopedConn};
use crate::entity::organization;

/// A database handle confined to one organization.
#[derive(Clone, Debug)]
pub struct OrgDb<C = ScopedConn> {
    /// The organization every statement is confined to.
    org: Uuid,
    /// Private: nothing outside this module can run an unfiltered statement
    /// through the handle.
    conn: C,
}

impl OrgDb<ScopedConn> {
    /// A request scope for `org`: on PostgreSQL one transaction bound to the
    /// organization (RLS), on SQLite the pool. End it with [`OrgDb::finish`];
    /// dropped unfinished, it rolls back.
    pub async fn open(db: &DatabaseConnection, org: Uuid) -> Result<Self, DbErr> {
        Ok(Self::new(ScopedConn::open(db, org).await?, org))
    }

    /// Like [`OrgDb::open`], but a transaction on every backend.
    pub async fn open_tx(db: &DatabaseConnection, org: Uuid) -> Result<Self, DbErr> {
        Ok(Self::new(ScopedConn::open_tx(db, org).await?, org))
    }

    /// Commit the scope.
    pub async fn finish(&self) -> Result<(), DbErr> {
        self.conn.finish().await
    }

    /// A nested transaction (a savepoint inside the request's transaction on
    /// PostgreSQL). Dropped without [`OrgDb::commit`], it rolls back.
    pub async fn begin(&self) -> Result<OrgDb<CountedTx>, DbErr> {
        Ok(OrgDb::new(self.conn.begin().await?, self.org))
    }

    /// Run `sql` (a SAVEPOINT command) when the scope is one transaction;
    /// nothing otherwise. For the per-mutation savepoints.
    pub(crate) async fn savepoint_command(&self, sql: &str) -> Result<(), DbErr> {
        if self.conn.is_transaction() {
            self.conn.framing(sql).await?;
        }
        Ok(())
    }

    /// `(queries, framing)` statements issued through this scope so far.
    pub fn statements(&self) -> (u64, u64) {
        self.conn.statements().get()
    }

    /// Insert the organization row this scope is for (operator path: the
    /// first thing written for a new organization).
    pub(crate) async fn create_own_organization(
        &self,
        mut model: organization::ActiveModel,
    ) -> Result<organization::Model, DbErr> {
        model.id = sea_orm::ActiveValue::Set(self.org);
        model.insert(&self.conn).await
    }
}

impl<C> OrgDb<C> {
    /// Only the request middleware, the auth service (for the organization a
    /// credential names) and operator tools build handles; resolvers receive
    /// them.
    pub(crate) fn new(conn: C, org: Uuid) -> Self {
        Self { org, conn }
    }
}

impl<C: ConnectionTrait> OrgDb<C> {
    pub fn organization_id(&self) -> Uuid {
        self.org
    }

    /// The handle's own organization row (the one non-tenant row it may read).
    pub async fn organization(&self) -> Result<Option<organization::Model>, DbErr> {
        organization::Entity::find_by_id(self.org).one(&self.conn).await
    }

    fn org_cond<E: OrgFilter>(&self) -> SimpleExpr {
        E::org_column().eq(self.org)
    }

    /// A select of `E` already filtered by the organization.
    pub fn find<E: OrgFilter>(&self) -> OrgSelect<'_, E, C> {
        OrgSelect {
            db: self,
            select: E::find().filter(self.org_cond::<E>()),
        }
    }

    /// Insert, with `organization_id` stamped from the handle whatever the
    /// active model held.
    pub async fn insert<A>(&self, mut model: A) -> Result<<A::Entity as EntityTrait>::Model, DbErr>
    where
        A: ActiveModelTrait + ActiveModelBehavior + Send,
        A::Entity: OrgFilter,
        <A::Entity as EntityTrait>::Model: IntoActiveModel<A>,
    {
        model.set(<A::Entity as OrgFilter>::org_column(), self.org.into());
        model.insert(&self.conn).await
    }

    /// The first `n` rows of `E` for each value in `keys` of `key_col`, in
    /// `order` of `by`, in one statement: how a to-many relation with its
    /// own limit (an employee's last 7 attendance records) is batched for
    /// many parents. On PostgreSQL a `LATERAL` subquery per key (an index
    /// scan that stops after `n` rows); elsewhere a `ROW_NUMBER()` window.
    pub async fn top_per_key<E: OrgFilter>(
        &self,
        key_col: E::Column,
        keys: &[Uuid],
        by: E::Column,
        order: Order,
        n: u64,
    ) -> Result<Vec<E::Model>, DbErr> {
        if keys.is_empty() || n == 0 {
            return Ok(Vec::new());
        }
        let backend = self.conn.get_database_backend();
        if backend != sea_orm::DbBackend::Postgres {
            return self
                .find::<E>()
                .filter(key_col.is_in(keys.iter().copied()))
                .top_per(key_col, by, order, n)
                .await;
        }
        let table = E::default().table_name().to_string();
        let direction = if order == Order::Desc { "DESC" } else { "ASC" };
        let placeholders: Vec<String> = (0..keys.len()).map(|i| format!("(${}::uuid)", i + 3)).collect();
        let sql = format!(
            "SELECT r.* FROM (VALUES {}) AS k(key) CROSS JOIN LATERAL (\
               SELECT * FROM \"{table}\" t WHERE t.\"{org}\" = $1 AND t.\"{key}\" = k.key \
               ORDER BY t.\"{by}\" {direction} LIMIT $2) r",
            placeholders.join(", "),
            org = E::org_column().as_str(),
            key = key_col.as_str(),
            by = by.as_str(),
        );
        let mut values: Vec<sea_orm::Value> = vec![self.org.into(), (n as i64).into()];
        values.extend(keys.iter().map(|k| sea_orm::Value::from(*k)));
        let stmt = sea_orm::Statement::from_sql_and_values(backend, sql, values);
        E::find().from_raw_sql(stmt).all(&self.conn).await
    }

    /// Insert many rows in one statement, each stamped with the handle's
    /// organization; returns the number inserted. For bulk loads (seed).
    pub async fn insert_many<A>(&self, models: impl IntoIterator<Item = A>) -> Result<u64, DbErr>
    where
        A: ActiveModelTrait + Send,
        A::Entity: OrgFilter,
    {
        let org_col = <A::Entity as OrgFilter>::org_column();
        let models: Vec<A> = models
            .into_iter()
            .map(|mut m| {
                m.set(org_col, self.org.into());
                m
            })
            .collect();
        if models.is_empty() {
            return Ok(0);
        }
        <A::Entity as EntityTrait>::insert_many(models)
            .exec_without_returning(&self.conn)
            .await
    }

    /// Update one row by primary key within the organization. `None` when
    /// the row does not exist in this organization (wherever else it may).
    pub async fn update<A>(&self, mut model: A) -> Result<Option<<A::Entity as EntityTrait>::Model>, DbErr>
    where
        A: ActiveModelTrait + ActiveModelBehavior + Send,
        A::Entity: OrgFilter,
        <A::Entity as EntityTrait>::Model: IntoActiveModel<A>,
    {
        // The organization is part of every tenant primary key, so it lands
        // in the WHERE clause (primary key columns are never SET).
        model.set(<A::Entity as OrgFilter>::org_column(), self.org.into());
        match model.update(&self.conn).await {
            Ok(m) => Ok(Some(m)),
            Err(DbErr::RecordNotUpdated) | Err(DbErr::RecordNotFound(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Update every row of `E` matching `cond` within the organization;
    /// returns the number of rows changed.
    pub async fn update_where<E, A>(&self, values: A, cond: impl IntoCondition) -> Result<u64, DbErr>
    where
        E: OrgFilter,
        A: ActiveModelTrait<Entity = E> + Send,
    {
        let res = E::update_many()
            .set(values)
            .filter(self.org_cond::<E>())
            .filter(cond.into_condition())
            .exec(&self.conn)
            .await?;
        Ok(res.rows_affected)
    }

    /// Delete every row of `E` matching `cond` within the organization;
    /// returns the number of rows deleted.
    pub async fn delete_where<E: OrgFilter>(&self, cond: impl IntoCondition) -> Result<u64, DbErr> {
        let res = E::delete_many()
            .filter(self.org_cond::<E>())
            .filter(cond.into_condition())
            .exec(&self.conn)
            .await?;
        Ok(res.rows_affected)
    }
}

impl OrgDb<CountedTx> {
    pub async fn commit(self) -> Result<(), DbErr> {
        self.conn.commit().await
    }
}

/// A select confined to one organization: conditions can be added, never
/// removed.
pub struct OrgSelect<'a, E: EntityTrait, C> {
    db: &'a OrgDb<C>,
    select: Select<E>,
}

impl<'a, E: EntityTrait, C: ConnectionTrait> OrgSelect<'a, E, C> {
    pub fn filter(mut self, cond: impl IntoCondition) -> Self {
        self.select = self.select.filter(cond.into_condition());
        self
    }

    pub fn order_by(mut self, expr: impl IntoSimpleExpr, order: Order) -> Self {
        self.select = self.select.order_by(expr, order);
        self
    }

    pub fn offset(mut self, n: u64) -> Self {
        self.select = self.select.offset(n);
        self
    }

    pub fn limit(mut self, n: u64) -> Self {
        self.select = self.select.limit(n);
        self
    }

    pub async fn one(self) -> Result<Option<E::Model>, DbErr> {
        self.select.one(&self.db.conn).await
    }

    pub async fn all(self) -> Result<Vec<E::Model>, DbErr> {
        self.select.all(&self.db.conn).await
    }

    pub async fn count(self) -> Result<u64, DbErr>
    where
        E::Model: Sync,
    {
        self.select.count(&self.db.conn).await
    }

    /// The first `n` rows for each value of `partition`, in `order` of
    /// `by`, in one statement (a `ROW_NUMBER()` window over this select):
    /// how a to-many relation with its own limit is batched for many
    /// parents at once.
    pub async fn top_per(
        self,
        partition: E::Column,
        by: E::Column,
        order: Order,
        n: u64,
    ) -> Result<Vec<E::Model>, DbErr> {
        const RANK: &str = "hrms_rank";
        let mut inner = self.select.into_query();
        let mut window = WindowStatement::partition_by(partition);
        window.order_by(by, order);
        inner.expr_window_as(Expr::cust("ROW_NUMBER()"), window, Alias::new(RANK));
        let outer = Query::select()
            .column(Asterisk)
            .from_subquery(inner, Alias::new("ranked"))
            .and_where(Expr::col(Alias::new(RANK)).lte(n))
            .order_by(Alias::new(RANK), Order::Asc)
            .take();
        let stmt = self.db.conn.get_database_backend().build(&outer);
        E::find().from_raw_sql(stmt).all(&self.db.conn).await
    }
}
