import { createServer } from "node:http";

/**
 * The comparison point for request throughput: a bare node:http handler
 * answering the same JSON payload the small query returns, with no routing,
 * authentication, validation or logging.
 */
const body = JSON.stringify({
  workspace: { id: "9b0f3c59-7d0e-4a4e-9a57-0e4c2f6c1d11", name: "Default" },
  key: { id: "2d6f6f1c-43c5-4b57-b1e5-7c2c1a5b8e42", name: "Owner", scope: "owner", prefix: "scr_AbCdEfGh" },
});

const server = createServer((_req, res) => {
  res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
});
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  if (typeof address === "object" && address) process.stdout.write(`ready at http://127.0.0.1:${address.port}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
