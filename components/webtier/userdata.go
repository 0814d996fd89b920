package webtier

import (
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// The instances' user data: the application (the caller's, or the kit's placeholder) and, with a warm pool,
// what makes the pool wait for it.
//
// The health contract every application behind the kit follows:
//   - HealthCheck.Path (default /health) answers 200 while the process serves HTTP. The load balancer checks
//     it: an instance that fails it is replaced, so it must not depend on anything outside the instance (a
//     database outage must not make Auto Scaling replace every instance).
//   - ReadinessPath (default /health/ready) answers 200 only when the application can serve a request end to
//     end, its database included, and 503 otherwise. Route 53 failover checks it on the load balancer, so a
//     primary region whose application or database is down fails over to the DR region.

// DefaultReadinessPath is the path that answers 200 only when the application can reach its database.
const DefaultReadinessPath = "/health/ready"

// placeholderApp is the kit's placeholder application: Python from Amazon Linux 2023, a static page, the
// health path, /version (the release's AppVersion, when one is given), and the readiness path, which opens a TCP connection to the database (when one is given) and
// answers 503 when it cannot. The paths are validated to plain URL characters and the host is an RDS
// endpoint, so Python's repr of them needs no further quoting.
const placeholderApp = `import http.server, socket

PORT, HEALTH, READY, DB_HOST, DB_PORT = %[1]d, %[2]q, %[3]q, %[4]q, %[5]d
VERSION_PATH, VERSION = %[6]q, %[7]q


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        path = self.path.split("?")[0]
        if path == READY:
            try:
                if DB_HOST:
                    socket.create_connection((DB_HOST, DB_PORT), timeout=2).close()
                self.reply(200, b"ready\n")
            except OSError:
                self.reply(503, b"database unreachable\n")
        elif path == HEALTH:
            self.reply(200, b"ok\n")
        elif path == VERSION_PATH:
            self.reply(200, VERSION.encode() + b"\n")
        else:
            self.reply(200, b"<h1>web tier is up</h1>\n")

    def reply(self, code, body):
        self.send_response(code)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


http.server.ThreadingHTTPServer(("", PORT), Handler).serve_forever()
`

// placeholderUserData installs the placeholder application as a systemd service. It is idempotent: with a
// warm pool it runs on every boot.
func placeholderUserData(port int, healthPath, readyPath, dbHost string, dbPort int, version string) string {
	return fmt.Sprintf(`#!/bin/bash
# Placeholder of the kit's web tier: answers the load balancer's health check and Route 53's readiness check
# on port %[1]d. Replace it with your application through webtier.Args.UserData, keeping the health contract.
set -euo pipefail
mkdir -p /opt/webtier
cat > /opt/webtier/server.py <<'PY'
%[2]sPY
cat > /etc/systemd/system/webtier.service <<'UNIT'
[Unit]
Description=Web tier placeholder server
After=network-online.target

[Service]
ExecStart=/usr/bin/python3 /opt/webtier/server.py
DynamicUser=yes
AmbientCapabilities=CAP_NET_BIND_SERVICE
Restart=always

[Install]
WantedBy=multi-user.target
UNIT
systemctl daemon-reload
systemctl enable --now webtier.service
`, port, fmt.Sprintf(placeholderApp, port, healthPath, readyPath, dbHost, dbPort, versionPath(version), version))
}

// versionPath is where the placeholder serves the release's version: /version with one, nowhere without.
func versionPath(version string) string {
	if version == "" {
		return ""
	}
	return "/version"
}

// userData is the launch template's user data, base64-encoded: the caller's or the placeholder, wrapped
// for a warm pool (see warmPoolUserData).
func (b *builder) userData(c *color) pulumi.StringOutput {
	a := b.args
	var dbHost pulumi.StringInput = pulumi.String("")
	if a.DatabaseAddress != nil {
		dbHost = a.DatabaseAddress
	}
	return dbHost.ToStringOutput().ApplyT(func(host string) string {
		app := a.UserData
		if app == "" {
			app = placeholderUserData(a.AppPort, a.HealthCheck.Path, a.ReadinessPath, host, a.DatabasePort, c.appVersion)
		}
		if a.WarmPool != nil {
			app = warmPoolUserData(app, a.AppPort, a.HealthCheck.Path, b.lifecycleHookName(c))
		}
		return base64.StdEncoding.EncodeToString([]byte(app))
	}).(pulumi.StringOutput)
}

// mimeMultipart joins cloud-init parts in the MIME multi-part format cloud-init reads, in order.
func mimeMultipart(parts ...[2]string) string {
	const boundary = "==WEBTIER-PART=="
	var b strings.Builder
	fmt.Fprintf(&b, "Content-Type: multipart/mixed; boundary=%q\nMIME-Version: 1.0\n", boundary)
	for _, p := range parts {
		fmt.Fprintf(&b, "\n--%s\nContent-Type: %s; charset=\"us-ascii\"\nMIME-Version: 1.0\n\n%s", boundary, p[0], p[1])
		if !strings.HasSuffix(p[1], "\n") {
			b.WriteString("\n")
		}
	}
	fmt.Fprintf(&b, "\n--%s--\n", boundary)
	return b.String()
}
