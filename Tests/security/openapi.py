"""Reading the server's /openapi.json: its operations, what credentials each needs, and minimal
valid bodies for its schemas."""

# The admin key in either header, or a supervisor's sign-in (its role decides; AdminAccessTests).
ADMIN_SCHEMES = {"bearerAuth", "apiKeyHeader", "supervisorSession"}
SESSION_SECRET_SCHEME = "sessionSecret"
SUPERVISOR_SCHEME = "supervisorSession"
# TCCC's server API (POST /): Tencent Cloud's TC3-HMAC-SHA256 signature by an API key pair;
# Tests/tccc-api checks who may call it.
TC3_SCHEME = "tc3Signature"
# An agent's login token as a bearer: the agent's own file routes (/api/v1/agent/...).
AGENT_TOKEN_SCHEME = "agentToken"


def operations(document):
    """(method, path, operation, effective security requirements) for every operation."""
    default = document.get("security", [])
    for path, item in sorted(document["paths"].items()):
        for method, operation in sorted(item.items()):
            yield method, path, operation, operation.get("security", default)


def classify(security):
    """'public', 'optional' (open unless configured), 'admin', 'sessionSecret', 'supervisorSession'
    (the sign-in cookie alone), 'tc3' (a TCCC API key pair's signature), 'agentToken' (an agent's
    login token) or None (unknown)."""
    if not security:
        return "public"
    if {} in security:
        return "optional"
    schemes = {name for requirement in security for name in requirement}
    if schemes == {SUPERVISOR_SCHEME}:
        return "supervisorSession"
    if schemes == {TC3_SCHEME}:
        return "tc3"
    if schemes == {AGENT_TOKEN_SCHEME}:
        return "agentToken"
    if "bearerAuth" in schemes and schemes <= ADMIN_SCHEMES and all(len(r) == 1 for r in security):
        return "admin"
    if schemes == {SESSION_SECRET_SCHEME}:
        return "sessionSecret"
    return None


def resolve(schema, document):
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = document["components"]["schemas"][name]
    return schema


def example(schema, document, plausible, field=None):
    """A minimal value valid for `schema`: required properties only, enums' first value, defaults
    and minimums; strings from `plausible` by field name (else "probe")."""
    schema = resolve(schema, document)
    if "enum" in schema:
        return next(value for value in schema["enum"] if value is not None)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next(k for k in kind if k != "null")
    if kind == "object":
        properties = schema.get("properties", {})
        return {name: example(properties[name], document, plausible, name) for name in schema.get("required", [])}
    if kind == "string":
        return plausible.get(field, "probe")
    if kind == "integer":
        return schema.get("default", schema.get("minimum", 1))
    if kind == "boolean":
        return schema.get("default", True)
    if kind == "array":
        return []
    raise AssertionError(f"no example for schema {schema}")
