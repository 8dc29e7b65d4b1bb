/**
 * MCP servers in Python 3 for images without Node (the test base image): a minimal one that
 * speaks the stdio transport by hand (initialize, tools/list, tools/call: `echo`, `read`
 * (a file), `crash` (exits mid-call)), and misbehaving ones: a server that crashes at start,
 * hangs at initialize, floods its stdout, or writes what is not JSON-RPC.
 */

/** A working stdio MCP server with `echo`, `read` and `crash`. */
export const PYTHON_MCP_SERVER = String.raw`
import json, sys
TOOLS = [
    {"name": "echo", "description": "Echoes its text back.", "inputSchema": {"type": "object", "properties": {"text": {"type": "string"}}, "required": ["text"]}},
    {"name": "read", "description": "Reads a file.", "inputSchema": {"type": "object", "properties": {"path": {"type": "string"}}, "required": ["path"]}},
    {"name": "crash", "description": "Exits in the middle of the call.", "inputSchema": {"type": "object", "properties": {}}},
]
def send(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()
def text(value, error=False):
    return {"content": [{"type": "text", "text": value}], "isError": error}
for line in sys.stdin:
    request = json.loads(line)
    method, rid = request.get("method"), request.get("id")
    if rid is None:
        continue
    if method == "initialize":
        send({"jsonrpc": "2.0", "id": rid, "result": {"protocolVersion": request["params"]["protocolVersion"], "capabilities": {"tools": {}}, "serverInfo": {"name": "py", "version": "1"}}})
    elif method == "tools/list":
        send({"jsonrpc": "2.0", "id": rid, "result": {"tools": TOOLS}})
    elif method == "tools/call":
        name, args = request["params"]["name"], request["params"].get("arguments") or {}
        if name == "echo":
            send({"jsonrpc": "2.0", "id": rid, "result": text("echo: " + args["text"])})
        elif name == "read":
            try:
                with open(args["path"]) as f:
                    send({"jsonrpc": "2.0", "id": rid, "result": text(f.read())})
            except OSError as e:
                send({"jsonrpc": "2.0", "id": rid, "result": text(str(e), True)})
        elif name == "crash":
            sys.stderr.write("py: crashing as asked\n")
            sys.exit(1)
    else:
        send({"jsonrpc": "2.0", "id": rid, "error": {"code": -32601, "message": "no method " + str(method)}})
`;

/** Servers that go wrong, by name. */
export const BAD_PYTHON_SERVERS = {
  /** Says why on stderr and exits 3 before reading anything. */
  crash: 'import sys\nsys.stderr.write("boom: no config file at /etc/crash.toml\\n")\nsys.exit(3)\n',
  /** Reads its input and never answers. */
  hang: 'import sys\nfor line in sys.stdin:\n    pass\n',
  /** Writes 20 MiB on stdout without a newline (and 8 MiB on stderr). */
  flood: 'import sys\nsys.stderr.write("e" * (8 << 20) + "\\nflood: the end of my stderr\\n")\nsys.stderr.flush()\nsys.stdout.write("x" * (20 << 20))\nsys.stdout.flush()\nimport time\ntime.sleep(60)\n',
  /** Prints a banner on stdout before anything else. */
  banner: 'import sys\nprint("Welcome to the server v1.0")\nsys.stdout.flush()\nfor line in sys.stdin:\n    pass\n',
  /** Answers with JSON that is not a JSON-RPC message. */
  notrpc: 'import sys, json\nfor line in sys.stdin:\n    print(json.dumps({"hello": "world"}))\n    sys.stdout.flush()\n',
} as const;
