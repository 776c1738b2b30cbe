//! One savepoint per top-level mutation field. On PostgreSQL the whole
//! request is one transaction (see `tenancy::ScopedConn`), and one failed
//! statement would abort it: each mutation field therefore runs inside
//! `SAVEPOINT`, released when it succeeds and rolled back when it fails, so
//! a failed mutation writes nothing and the fields after it still work.

use std::sync::Arc;

use async_graphql::{
    ServerResult, Value,
    extensions::{Extension, ExtensionContext, ExtensionFactory, NextResolve, ResolveInfo},
};

use crate::{error::AppError, scope::Scope};

pub struct MutationSavepoints;

impl ExtensionFactory for MutationSavepoints {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(MutationSavepointsExtension)
    }
}

struct MutationSavepointsExtension;

const NAME: &str = "hrms_mutation";

#[async_graphql::async_trait::async_trait]
impl Extension for MutationSavepointsExtension {
    async fn resolve(
        &self,
        ctx: &ExtensionContext<'_>,
        info: ResolveInfo<'_>,
        next: NextResolve<'_>,
    ) -> ServerResult<Option<Value>> {
        let scope = match ctx.data_opt::<Scope>() {
            Some(scope) if info.parent_type == "Mutation" => scope,
            _ => return next.run(ctx, info).await,
        };
        let internal =
            |e: sea_orm::DbErr| async_graphql::Error::from(AppError::from(e)).into_server_error(Default::default());
        scope
            .db
            .savepoint_command(&format!("SAVEPOINT {NAME}"))
            .await
            .map_err(internal)?;
        let result = next.run(ctx, info).await;
        let end = if result.is_ok() {
            format!("RELEASE SAVEPOINT {NAME}")
        } else {
            format!("ROLLBACK TO SAVEPOINT {NAME}")
        };
        scope.db.savepoint_command(&end).await.map_err(internal)?;
        result
    }
}
