-- post.lua: wrk script for a GraphQL POST.
-- Env: BODY (path to the JSON request body), JWT (access token; optional).
-- The body and headers are fixed once per thread, so wrk does no Lua work per request
-- (no response() callback either: bench/run checks for GraphQL errors before and after each run).
local f = assert(io.open(os.getenv("BODY"), "r"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
local jwt = os.getenv("JWT")
if jwt and #jwt > 0 then wrk.headers["Authorization"] = "Bearer " .. jwt end
