-- floor/q2.sql: the raw-SQL floor for Q2 (pgbench -M prepared), as the runtime role with RLS in force.
-- What a minimal hand-written server would send for Q2: one transaction that sets the tenant the way
-- our server does (transaction-local), then the page and one batched statement per relation
-- (dataloader style, like peerbench floor/q2_batched.sql). Every tenant key is (organization_id, id),
-- so each statement also filters on organization_id, which lets it use the composite indexes.
-- Variables (pgbench -D, computed by bench/run for seed-org-1): org, emp_ids (the page's 50 ids),
-- dept_ids and mgr_ids (the page's distinct departments and managers), as '{…}' uuid array literals.
BEGIN;
SELECT set_config('app.current_organization_id', :org, true);
SELECT id, employee_code, first_name, last_name, email, status, department_id, manager_id
  FROM employees WHERE organization_id = :org ORDER BY employee_code LIMIT 50;
SELECT id, name FROM departments WHERE organization_id = :org AND id = ANY(:dept_ids::uuid[]);
SELECT id, first_name, last_name FROM employees WHERE organization_id = :org AND id = ANY(:mgr_ids::uuid[]);
SELECT employee_id, date, status FROM (
    SELECT employee_id, date, status, row_number() OVER (PARTITION BY employee_id ORDER BY date DESC) AS rn
      FROM attendance_records WHERE organization_id = :org AND employee_id = ANY(:emp_ids::uuid[])) t
 WHERE rn <= 7;
COMMIT;
