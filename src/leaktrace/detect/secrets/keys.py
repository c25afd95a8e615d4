"""Keys and passwords: PEM and PuTTY private keys, age keys, JWTs, passwords in connection
strings and configuration."""

from __future__ import annotations

import base64
import binascii
import re

from leaktrace.core.finding import Severity
from leaktrace.detect.patterns import PatternRule
from leaktrace.detect.secrets._common import (
    b64url_json,
    not_placeholder,
    password_like,
    token,
    token_like,
)


def _jwt(value: str) -> bool:
    """A JWT's header decodes to a JSON object naming its algorithm."""
    header = b64url_json(value.split(".", 1)[0])
    return header is not None and "alg" in header and not_placeholder(value)


def _basic_auth(value: str) -> bool:
    """Docker's ``auth`` is base64 of ``user:password`` with a password worth the name."""
    try:
        decoded = base64.b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return False
    user, colon, password = decoded.partition(":")
    return bool(user and colon) and password_like(password)


# An unquoted value that is code, not a literal: a call, an index or a generic (closed where
# the value ends, or cut by its arguments' comma, quote or space: "getpass(prompt, stream)";
# "hm5va4P4XsE(" and "zs(c*#TE#Q02inV)Q_tY(s)%" are passwords), a dict or list, a name
# that says what it holds ("hide_password", "OAuthFlowPassword", "SQL_COPT_SS_ACCESS_TOKEN"), a
# snake_case name, or a type. Quoted values are literals whatever they look like.
_CVS_METHOD = re.compile(r"(?i)(?:pserver|ext|gserver|kserver|server|sspi):")
_NOT_AN_EXPRESSION = (
    r"(?![A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*\s*[(\[<][^\s\"',;]*"
    r"(?:[)\]>](?![^\s\"',;])|(?=[ \t]*[,;\"']|[ \t]+\S))"
    r"|[{\[]"
    r"|[\w.$]*(?:pass(?:word|wd)?|secret|token|key|credential|auth)[\w.$]*[)\]}]*(?![^\s\"',;])"
    r"|[a-z]+(?:_[a-z]+)+[)\]}]*(?![^\s\"',;])"
    r"|(?:annotated|optional|union|none|null|undefined|nil|true|false)\b)"
)

KEY_RULES: tuple[PatternRule, ...] = (
    PatternRule(
        id="private-key",
        description="Private key in PEM, OpenSSH or PGP armour",
        pattern=(
            r"-----BEGIN (?P<value>(?:RSA |DSA |EC |ENCRYPTED |OPENSSH |PGP )?PRIVATE KEY"
            r"(?: BLOCK)?)-----(?:\s|\\[rn])+[A-Za-z0-9+/=:\-\s\\]{64}"
        ),
        # Exactly 64 characters of body: enough to tell a key from a mention of one, and the
        # prefilter reports one end per key instead of one per character of its body.
        severity=Severity.CRITICAL,
        must_match=(
            "-----BEGIN RSA PRIVATE KEY-----\n" + "MIIEowIBAAKCAQEA" * 6 + "\n",
            "-----BEGIN OPENSSH PRIVATE KEY-----\nXU1pWvgiXekj1W+I3wC/vjUgQhqjjm5ad2C4l9T6T417TTCrK9Md115cxeFv/QTAXnpdua\nCdoQcKmApvNjUpzWGmoWAY0hGzR1jIlQIlebZj+P/ItXCy8/6AXxSJQBPAcxU1rbHFvW+s\n",
            # escaped newlines, as in a Google service-account JSON file
            r'"private_key": "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj\nMzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu\n-----END PRIVATE KEY-----\n",',
        ),
        must_not_match=(
            "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOC\n",
            "-----BEGIN CERTIFICATE-----\n6nXELCQ8XGx2UTgwLPq3uVW79tsFGPUewwiiig41bQwL8JUjadhWiUODyXvRSVJVvp+T1I\n",
        ),
    ),
    PatternRule(
        id="putty-private-key",
        description="PuTTY private key file (.ppk)",
        pattern=(
            r"(?P<value>PuTTY-User-Key-File-[23]): [a-z0-9\-]+\r?\n"
            r"(?:[A-Za-z\-]+: [^\n]*\r?\n){1,4}Public-Lines: \d+"
        ),
        severity=Severity.CRITICAL,
        must_match=(
            "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: deploy\nPublic-Lines: 2\n",
            "PuTTY-User-Key-File-2: ssh-rsa\r\nEncryption: aes256-cbc\r\nComment: k\r\nPublic-Lines: 6\r\n",
        ),
        must_not_match=("PuTTY-User-Key-File-3: ssh-ed25519", "PuTTY-User-Key-File-9: ssh-rsa\n"),
    ),
    token(
        "age-secret-key",
        "age encryption secret key",
        r"AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}",
        severity=Severity.CRITICAL,
        must_match=(
            "AGE-SECRET-KEY-1GRKHJ6UUG8QEU2C3QLS47HU3GW8S2ZH3000EZTRGDU02NPXV5TCRQKQ28W",
            "# created: 2024\nAGE-SECRET-KEY-1Z5CMD334L2TD8NYPCZKR6SNECQ7TD04LLWAHUUMYCVXWHYPD75KZ39R4EX\n",
        ),
        must_not_match=(
            "AGE-SECRET-KEY-1EZ9NW2H8GJ4F6WUA3YFQ",
            "AGE-SECRET-KEY-2AM4F6DKSX8X6PLYRKSLTEJJQG3NZYLELS9YCFK2QPGSYR6L983T46MYHFT",
        ),
    ),
    token(
        "jwt",
        "JSON Web Token",
        r"eyJ[A-Za-z0-9_\-]{10,}\.eyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{16,}",
        severity=Severity.MEDIUM,
        validator=_jwt,
        must_match=(
            "Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJfT0zPJJQMyp5OYRYgByRHVr1T_2QimgbngO9oNLf.Ng0Fg3UBtO_wgbbmxZvAd2_gyq-bzKYp1jYOPVyFPX5",
            "token=eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJUdSl8DKkFiXhYr3c2VZeSXKm0CIJUdKhtb7ay78xHfN0tnw373ujKxJYfRH8._zUa6vnej0y63eELMv3p5CUrBOZQuTv8tY2jVrSlZy3tg__WqT5wBZoWuGK-WTL3HXziuq5PXD0lfQhK7Rg0Ot",
        ),
        must_not_match=(
            "eyJhbGciOiJub25l.eyJZzhB4GZqT8hqt0pmpsLww0sAO-DGpUxjKbgRBWZR.ZX1VlxeVZ4DNCNnOBFXL4k41GiLP9qG3L0uKW4yWRzS",
            "eyJ0eXAiOiJKV1QifQ.eyJzYDUszAByVXsblheVxVGa7nXtFv52hqj1E4piMuq.uU2Zpcvxu_8eTeQNx4f1yiruR7ntHt1O6MpmX2Z_sVW",
            "eyJhbGciOiJIUzI1NiJ9.eyJfrOM5G_9XLwCt5gJmSc2NxkjJPtVDQ1o_VU3KH34",
        ),
    ),
    PatternRule(
        id="url-password",
        description="Password embedded in a connection URL",
        pattern=(
            r"(?i)\b[a-z][a-z0-9+.-]{1,20}://[^\s:/@'\"]{0,64}:(?P<value>[^\s@/'\"]{3,128})@"
            r"[a-z0-9.-]+"
        ),
        severity=Severity.HIGH,
        # scheme, user, password and host: under 400 characters
        max_span=400,
        # ":pserver:anoncvs@" is CVS's access method and anonymous user, not a password
        validator=lambda v: not_placeholder(v) and len(v) >= 6 and not _CVS_METHOD.match(v),
        must_match=(
            "postgresql://app:N7q!rT2vLx9@db.internal:5432/prod",
            "mongodb+srv://svc:W7geO0zXrDjlesVY@cluster0.abcde.mongodb.net/app",
            "REDIS_URL=redis://:p7Hq-2vKxW9mLs4T@cache.internal:6379/0",  # password only
            "mongodb+srv://readonly:MYCKQA7IRUD7@cluster0.mongodb.net/search",
        ),
        must_not_match=(
            "postgresql://app:password@localhost/db",
            "https://user:${PASS}@host",
            "postgresql://$ROLE:$PASSWORD@127.0.0.1/$DB",
            "redis://:changeme@localhost:6379",
            "cvs://:pserver:anoncvs@sources.redhat.com:/cvs/src",
        ),
    ),
    PatternRule(
        id="jdbc-password",
        description="Password in a JDBC URL's parameters",
        pattern=r"(?i)jdbc:[a-z0-9:]+//[^\s\"']*?[;?&]password=(?P<value>[^;&\s\"']{6,128})",
        severity=Severity.HIGH,
        validator=password_like,
        must_match=(
            "jdbc:mysql://db:3306/app?user=app&password=8A6fF69FASRfWS",
            "jdbc:sqlserver://db:1433;databaseName=app;user=sa;password=vLYqbOxe8KfXVEru;",
        ),
        must_not_match=(
            "jdbc:mysql://db:3306/app?user=app&password=${DB_PASSWORD}",
            "jdbc:mysql://db:3306/app?user=app",
        ),
    ),
    PatternRule(
        id="connection-string-password",
        description="Password in an ADO.NET / ODBC connection string",
        pattern=(
            r"(?i)(?:server|data source|host)=[^;\n]+;(?:[^;\n]+;)*?\s*"
            r"(?:password|pwd)=(?P<value>[^;\"'\s]{6,128})"
        ),
        severity=Severity.HIGH,
        validator=password_like,
        must_match=(
            "Server=db.internal;Database=app;User Id=sa;Password=pLYFZyGWjLHNjt9T;",
            "Data Source=tcp:acme.database.windows.net;Initial Catalog=x;Pwd=gzU7G2GTT4Cq6j",
        ),
        must_not_match=(
            "Server=db;Database=app;User Id=sa;Password=changeme;",
            "Server=db;Database=app;Integrated Security=true;",
        ),
    ),
    PatternRule(
        id="docker-config-auth",
        description="Registry credentials in a Docker config.json (base64 user:password)",
        pattern=r'"auth"\s*:\s*"(?P<value>[A-Za-z0-9+/]{12,}={0,2})"',
        severity=Severity.HIGH,
        validator=_basic_auth,
        must_match=(
            '{"auths": {"registry.acme.io": {"auth": "ZGVwbG95OlRyMHViNGRvciYzeFE="}}}',
            '"auth": "Y2k6UzNjdXJlIVBhc3MtOTk0Mg=="',
        ),
        must_not_match=(
            '"auth": "/+/+/+/+/+/+/+/+"',
            '"auth": "dXNlcjpwYXNzd29yZA=="',
            '"auth": "bm9jb2xvbmhlcmVhdGFsbA=="',
        ),
    ),
    PatternRule(
        id="kubeconfig-client-key",
        description="Client private key embedded in a kubeconfig",
        pattern=r"client-key-data:\s*(?P<value>LS0tLS1CRUdJTi[A-Za-z0-9+/=]{40,})",
        severity=Severity.CRITICAL,
        validator=token_like,
        must_match=(
            "    client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQoEFTqD9psp0uFNU3z5GSsDQsCliduj6Ekrlg7dhtOGSky8zeNeFS6FeLk6x6TZkphJuWa02yr4jNYy/Pn",
            "client-key-data: LS0tLS1CRUdJTiBFQyBQUklWQVRFIEtFWS0tLS0tCgyEqBvV4cQ+zdEUzr3sGJgWCzoBVksNNLOr2Zkp8UcHKy5gl4nKbrNCcO+FSn==",
        ),
        must_not_match=(
            "client-certificate-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCgLWjA4/u/cVnSAwoquNQ48ae6uWUNRsU1mjLl9aICpS5pwWIfLsldSjMSAAJ3",
            "client-key-data: LS0tLS1CRUdJTi",
        ),
    ),
    PatternRule(
        id="password-argument",
        description='Password passed to a call as a literal (setPassword("..."), "password", "...")',
        pattern=(
            r"(?i)(?:\bset_?password\(\s*|[\"']password[\"']\s*,\s*)"
            r"[\"'](?P<value>[^\"'\s]{6,128})[\"']"
        ),
        severity=Severity.MEDIUM,
        # a call and a value of at most 128 characters
        max_span=256,
        validator=password_like,
        must_match=(
            'dataSource.setPassword("Qm7#vR2xLp9w");',
            'props.put("password", "Harbor7741!kXz");',
        ),
        must_not_match=(
            'props.put("password", "changeme");',
            'dataSource.setPassword(System.getenv("DB_PASSWORD"));',
        ),
    ),
    PatternRule(
        id="command-line-password",
        description="Password on a command line (curl -u user:password, mysql -pPASSWORD, --password=)",
        pattern=(
            r"(?:\bcurl\b[^\n]*?\s(?:-u|--user)[ =]?[\"']?[^\s:'\"]+:|"
            r"\bmysql(?:dump|admin)?\b[^\n]*?\s-p[\"']?|\s--password[ =][\"']?)"
            r"(?P<value>[^\s'\"]{6,128})"
        ),
        severity=Severity.MEDIUM,
        validator=password_like,
        must_match=(
            "curl -u 'admin:Shipment8530*HSRm' https://jenkins.internal/api/json",
            "mysql -h db -u root -p'F4kBWxINjpuzeov4' app < dump.sql",
            "pg_dumpall --password=Vx9q2LmT7rWp",
        ),
        must_not_match=(
            'curl -u "admin:$JENKINS_PASSWORD" https://jenkins.internal',
            "mysql -h db -u root -p app",
            "docker login --password-stdin",
        ),
    ),
    PatternRule(
        id="password-assignment",
        description="Password or secret assigned in configuration or code",
        pattern=(
            r"(?i)(?:password|passwd|pwd|secret|secret[_-]?key|api[_-]?key|"
            r"access[_-]?token|auth[_-]?token|client[_-]?secret)(?![a-z0-9])[\"']?[ \t]*[:=][ \t]*"
            r"(?:[\"']|" + _NOT_AN_EXPRESSION + r")(?P<value>[^\s\"',;]{8,128})"
        ),
        severity=Severity.MEDIUM,
        # name, separator and a value of at most 128: windows stay small (it fires often)
        max_span=256,
        validator=password_like,
        must_match=(
            'db_password = "Tr0ub4dor&3xQ"',
            "API_KEY: 9f8e7d6c5b4a3f2e1d0c",
            'SECRET_KEY = "k2#(vB9!zq_Lw0x+T8e%Rj@5mN^y"',
            '"client_secret": "jCVJWX5(+5)qBlo=5)#Yt^zf",',  # a "(" does not make it a call
            "api_key = MyMeRIlrwIKTmRcw",  # starts with "My", still random
            "PGPASSWORD=xJNpF0s8yo.VO7QV psql -h db -U app",  # a dot does not make it a name
            "spring.datasource.password=hm5va4P4XsE(",
        ),
        must_not_match=(
            "password = changeme",
            "password: ${DB_PASSWORD}",
            "secret = xxxxxxxxxx",
            "secret = leaktrace.detect.secret:SecretDetector",
            "password = get_password(user)",
            "api_key = your_api_key_here",
            "password = MyDbPassword",
            'password = os.environ["DB_PASSWORD"]',
            "password: this.dbPassword,",
            'password = "test-password"',
            'stripe.api_key = "sk_test_51Hq8KzLw2vBx9TnR4mPq7sYc"',
            "username, password = get_auth_from_url(new_proxies[scheme])",
            "password: OAuthFlowPassword | None = None",
            "self.client_secret = client_secret",
            "render_as_string(hide_password=hide_password)",
            'cparams["attrs_before"] = {SQL_COPT_SS_ACCESS_TOKEN: token_struct}',
            'password: Annotated[str, Doc("The HTTP Basic password.")]',
            'f"{db_url.render_as_string(hide_password=False)}\\n"',
            "passwd = fallback_getpass(prompt, stream)",
            "~/amhello-1.0 % su\n     Password:\n     /home/adl/amhello-1.0 # make install",
            "password = new(hash_name, password).digest()",
        ),
    ),
)
