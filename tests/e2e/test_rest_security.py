"""REST security against the real worker, driven with curl as an operator would: https listeners
configured with Kafka Connect's keys (a self-signed CA made here with the openssl CLI; PKCS12 and
PEM keystores, listeners.https.* over ssl.*, client certificates), and Connect's
BasicAuthSecurityRestExtension with a JAAS PropertyFileLoginModule credentials file."""
import base64
import subprocess

import pytest

from conftest import Worker, curl, free_port, generator_config, unique

pytestmark = pytest.mark.kafka


def openssl(*args, cwd):
    r = subprocess.run(["openssl", *args], cwd=cwd, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    """A CA, a server certificate for 127.0.0.1 signed by it (also as PKCS12 and PEM), a client
    certificate signed by it, and a second CA that signed nothing the server trusts."""
    d = tmp_path_factory.mktemp("pki")
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
            "-days", "2", "-subj", "/CN=tributary-test-ca", cwd=d)
    (d / "san.ext").write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    for who in ("server", "client"):
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{who}.key", "-out",
                f"{who}.csr", "-subj", f"/CN={who}", cwd=d)
        openssl("x509", "-req", "-in", f"{who}.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                "-CAcreateserial", "-out", f"{who}.pem", "-days", "2", "-extfile", "san.ext", cwd=d)
    openssl("pkcs12", "-export", "-in", "server.pem", "-inkey", "server.key", "-certfile",
            "ca.pem", "-out", "server.p12", "-passout", "pass:ks-secret", cwd=d)
    (d / "server-bundle.pem").write_text((d / "server.key").read_text() +
                                         (d / "server.pem").read_text())
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "other.key", "-out",
            "other.pem", "-days", "2", "-subj", "/CN=other-ca", cwd=d)
    return d


def https_worker(tmp_path, props):
    port = free_port()
    w = Worker(tmp_path / "worker", extra={"listeners": f"https://127.0.0.1:{port}", **props})
    w.port = port
    w.base = f"https://127.0.0.1:{port}"
    return w


def test_https_listener_with_a_pkcs12_keystore(kafka_broker, tmp_path, pki):
    w = https_worker(tmp_path, {
        "listeners.https.ssl.keystore.location": str(pki / "server.p12"),
        "listeners.https.ssl.keystore.password": "ks-secret",
        "listeners.https.ssl.keystore.type": "PKCS12",
        # ignored: listeners.https.* keys are taken all or nothing, as Connect does
        "ssl.keystore.location": "/nonexistent"})
    w.curl_extra = ["--cacert", str(pki / "ca.pem")]
    w.start()
    try:
        assert w.get("/").status == 200
        name = unique("tls")
        r = w.call("POST", "/connectors",
                   body={"name": name, "config": generator_config(unique("e2e-topic"))})
        assert r.status == 201, r
        w.wait_state(name, "RUNNING", "RUNNING")
        # A client that does not trust the CA is refused; plain HTTP on the port gets nothing.
        with pytest.raises(AssertionError, match="certificate"):
            curl("GET", w.url("/"), timeout=10)
        with pytest.raises(AssertionError):
            curl("GET", f"http://127.0.0.1:{w.port}/", timeout=10)
        assert w.alive()
        assert "ks-secret" not in w.log_path.read_text()
    finally:
        w.stop()


def test_https_with_pem_keystore_and_required_client_certificates(kafka_broker, tmp_path, pki):
    w = https_worker(tmp_path, {"ssl.keystore.type": "PEM",
                                "ssl.keystore.location": str(pki / "server-bundle.pem"),
                                "ssl.truststore.type": "PEM",
                                "ssl.truststore.location": str(pki / "ca.pem"),
                                "ssl.client.auth": "required"})
    w.curl_extra = ["--cacert", str(pki / "ca.pem"), "--cert", str(pki / "client.pem"),
                    "--key", str(pki / "client.key")]
    w.start()
    try:
        assert w.get("/connectors").status == 200
        with pytest.raises(AssertionError):  # no client certificate
            curl("GET", w.url("/"), timeout=10, extra=["--cacert", str(pki / "ca.pem")])
        with pytest.raises(AssertionError):  # a certificate from a CA the worker does not trust
            curl("GET", w.url("/"), timeout=10,
                 extra=["--cacert", str(pki / "ca.pem"), "--cert", str(pki / "other.pem"),
                        "--key", str(pki / "other.key")])
        assert w.alive()
    finally:
        w.stop()


def test_http_and_https_listeners_side_by_side(kafka_broker, tmp_path, pki):
    http_port = free_port()
    w = https_worker(tmp_path, {"ssl.keystore.location": str(pki / "server.p12"),
                                "ssl.keystore.password": "ks-secret"})  # JKS type: a PKCS12 file
    w.props.write_text(w.props.read_text().replace(
        f"listeners=https://127.0.0.1:{w.port}",
        f"listeners=https://127.0.0.1:{w.port},http://127.0.0.1:{http_port}"))
    w.curl_extra = ["--cacert", str(pki / "ca.pem")]
    w.start()
    try:
        assert curl("GET", f"http://127.0.0.1:{http_port}/health").status == 200
        assert w.get("/health").status == 200
    finally:
        w.stop()


@pytest.mark.parametrize("props,message", [
    ({"ssl.keystore.location": "KEYSTORE", "ssl.keystore.password": "wrong"},
     "ssl.keystore.location"),
    ({"ssl.keystore.location": "JKS"}, "keytool -importkeystore"),
    ({}, "an https listener needs a keystore"),
    ({"ssl.keystore.location": "KEYSTORE", "ssl.keystore.password": "ks-secret",
      "ssl.enabled.protocols": "TLSv1"}, "ssl.enabled.protocols"),
])
def test_https_misconfiguration_names_the_key(kafka_broker, tmp_path, pki, props, message):
    (tmp_path / "fake.jks").write_bytes(b"\xfe\xed\xfe\xed\x00\x00\x00\x02")
    props = {k: v.replace("KEYSTORE", str(pki / "server.p12")).replace(
        "JKS", str(tmp_path / "fake.jks")) for k, v in props.items()}
    w = https_worker(tmp_path, props)
    from conftest import tributary_bin
    r = subprocess.run([str(tributary_bin()), "standalone", str(w.props)], capture_output=True,
                       text=True, timeout=30, cwd=w.dir)
    assert r.returncode == 2, r
    assert message in r.stderr, r.stderr
    assert "ks-secret" not in r.stderr and "wrong" not in r.stderr.replace("(wrong password?)", "")


# ---- basic authentication ------------------------------------------------------------------


def auth_worker(tmp_path, monkeypatch, **extra):
    creds = tmp_path / "connect.password"
    creds.write_text("admin=s3cret-pass\nreader: other-pass\n")
    jaas = tmp_path / "connect_jaas.conf"
    jaas.write_text('/* the lesson\'s JAAS file */\nKafkaConnect {\n'
                    '  org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule '
                    f'required\n  file="{creds}";\n}};\n')
    monkeypatch.setenv("KAFKA_OPTS", f"-Xmx256m -Djava.security.auth.login.config={jaas}")
    return Worker(tmp_path / "worker", extra={
        "rest.extension.classes":
            "org.apache.kafka.connect.rest.basic.auth.extension.BasicAuthSecurityRestExtension",
        **extra})


def basic(user, password):
    return "Authorization: Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_basic_auth_as_connects_extension(kafka_broker, tmp_path, monkeypatch):
    w = auth_worker(tmp_path, monkeypatch)
    w.curl_extra = ["-u", "admin:s3cret-pass"]
    w.start()
    try:
        assert w.get("/connectors").status == 200
        for headers in ([], [basic("admin", "wrong")], [basic("nobody", "s3cret-pass")],
                        ["Authorization: Bearer abc"], ["Authorization: Basic !!!"]):
            r = curl("GET", w.url("/connectors"), headers=headers)
            assert r.status == 401, (headers, r)
            assert r.text == "User cannot access the resource."
        # Every endpoint, /health and /metrics too (Kafka's filter guards them all).
        for path in ("/", "/health", "/metrics", "/connector-plugins"):
            assert curl("GET", w.url(path)).status == 401, path
        r = curl("GET", w.url("/connectors"), headers=[basic("reader", "other-pass")])
        assert r.status == 200
        # A POST without credentials changes nothing.
        r = curl("POST", w.url("/connectors"),
                 body={"name": "x", "config": generator_config("t")})
        assert r.status == 401
        assert w.get("/connectors").json == []
        log = w.log_path.read_text()
        assert "s3cret-pass" not in log and "other-pass" not in log
    finally:
        w.stop()


def test_unauthenticated_health_when_configured(kafka_broker, tmp_path, monkeypatch):
    w = auth_worker(tmp_path, monkeypatch,
                    **{"tributary.rest.health.unauthenticated": "true"})
    w.curl_extra = ["-u", "admin:s3cret-pass"]
    w.start()
    try:
        assert curl("GET", w.url("/health")).status == 200
        assert curl("GET", w.url("/connectors")).status == 401
        assert curl("GET", w.url("/health/x")).status == 401
    finally:
        w.stop()


def test_basic_auth_without_a_jaas_file_refuses_to_start(kafka_broker, tmp_path, monkeypatch):
    monkeypatch.delenv("KAFKA_OPTS", raising=False)
    w = Worker(tmp_path / "worker", extra={"rest.extension.classes":
                                           "org.apache.kafka.connect.rest.basic.auth.extension."
                                           "BasicAuthSecurityRestExtension"})
    from conftest import tributary_bin
    r = subprocess.run([str(tributary_bin()), "standalone", str(w.props)], capture_output=True,
                       text=True, timeout=30, cwd=w.dir)
    assert r.returncode == 2 and "java.security.auth.login.config" in r.stderr, r
