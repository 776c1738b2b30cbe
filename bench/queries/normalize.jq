# normalize.jq: turns either server's answer (ours: edges/node, department, manager, attendance;
# PostGraphile: nodes, organizationDepartment, organizationManager, attendanceRecordsBy…) into one
# shape, so bench/run can diff them. Global ids are left out: each server encodes its own.
def emp: {
  code: .employeeCode, first: .firstName, last: .lastName, email: .email, status: .status,
  department: ((.department // .organizationDepartment) | if . == null then null else .name end),
  manager: ((.manager // .organizationManager) | if . == null then null else [.firstName, .lastName] end),
  attendance: ((.attendance // .attendanceRecordsByOrganizationIdAndEmployeeId.nodes)
               | if . == null then null else map([.date, .status]) end)
};
if .errors then error("GraphQL errors: \(.errors | tojson)") else . end
| .data
| if has("employees") then [((.employees.edges // []) | map(.node)) + (.employees.nodes // []) | .[] | emp]
  else [.employee | select(. != null) | emp] end
