"""Software-as-a-service APIs: mail, AI, monitoring, infrastructure and productivity tools."""

from __future__ import annotations

from leaktrace.core.finding import Severity
from leaktrace.detect.patterns import PatternRule
from leaktrace.detect.secrets._common import keyed, token

_MESSAGING: tuple[PatternRule, ...] = (
    token(
        "sendgrid-api-key",
        "SendGrid API key",
        r"SG\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43}",
        must_match=(
            "SENDGRID_API_KEY=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",
            "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",
        ),
        must_not_match=(
            "SG.lgJWAo9SdmgCQDvKCWJqyr.I7WppeKrvS",
            "SG.lEeLI_jAolVzfUCza8P54hdVoY1P1ArWWf5vP136bQS",
        ),
    ),
    token(
        "mailgun-api-key",
        "Mailgun private API key",
        r"key-[0-9a-f]{32}",
        must_match=(
            "MAILGUN_API_KEY=key-ec622d457f63167e3d2f3f673fad197b",
            "api:key-4e954771dfa51578938759475ad0818e",
        ),
        must_not_match=("key-011889fcfad6", "key-RAYYYM6GD98HPE5CIJP8HCAKDUWZYG2C"),
    ),
    token(
        "mailchimp-api-key",
        "Mailchimp API key",
        r"[0-9a-f]{32}-us[0-9]{1,2}",
        must_match=(
            "MAILCHIMP_KEY=1d370b714d9ba974421d31cf674fa930-us21",
            "4be3ad919d6f3ca01316229146329c6f-us6",
        ),
        must_not_match=("98ab6da7ead800bf9f99-us21", "4fe66a5d8ad9fb6b9912cefbccf04a41-eu1"),
    ),
    token(
        "twilio-api-key",
        "Twilio API key SID",
        r"SK[0-9a-f]{32}",
        must_match=(
            "TWILIO_API_KEY=SKb554d1c3cc7cc55247e3a82f8c3b2a4b",
            "SK8da17ead7f6ab29fb5f017e1b089a414",
        ),
        must_not_match=("SK2998de6084c4d0a05a5b", "SKWRTA007Z7QWRMEEYT74YJ59O2J8WOZ7B"),
    ),
    keyed(
        "twilio-auth-token",
        "Twilio auth token or API key secret",
        r"twilio",
        r"[0-9a-f]{32}",
        must_match=(
            "TWILIO_AUTH_TOKEN=240125dc55d73caab87e0f3ebb0876ac",
            "twilio_secret: 'd7dfd357d5fb0d34d2372116bdb15f55'",
        ),
        must_not_match=(
            "TWILIO_AUTH_TOKEN=623ff5081437c6ff6f8b",
            "auth_token=f6bfc92873a3b841977803f9e32b273e",
        ),
    ),
    token(
        "sendinblue-api-key",
        "Brevo (Sendinblue) API key",
        r"xkeysib-[a-f0-9]{64}-[A-Za-z0-9]{16}",
        must_match=(
            "BREVO_API_KEY=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",
            "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",
        ),
        must_not_match=(
            "xkeysib-5b932e268f812fa322bd-L17zpNiOnPuRqVOu",
            "xsmtpsib-17f2751e08fb23e605a8631654486f663f3ad012b0d44329e0a84d828451c7bb",
        ),
    ),
)

_AI: tuple[PatternRule, ...] = (
    token(
        "openai-api-key",
        "OpenAI API key (user, project, service-account or admin)",
        r"sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_\-]{20,156}T3BlbkFJ[A-Za-z0-9_\-]{20,156}",
        must_match=(
            "OPENAI_API_KEY=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",
            "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",
        ),
        must_not_match=(
            "sk-1cZ3B3soRNup9oumP7hfQxZZ3OlmYgny3Po9pBmoE85Pr66F",
            "sk-proj-8e_eIPiUpMT3BlbkFJH0JMORV_r7",
        ),
    ),
    token(
        "anthropic-api-key",
        "Anthropic API or admin key",
        r"sk-ant-(?:api|admin)[0-9]{2}-[A-Za-z0-9_\-]{93}AA",
        must_match=(
            "ANTHROPIC_API_KEY=sk-ant-api03-S1ElDjhhWm6AMjbdvmZ1l9khX6gGvSAAGj_SuEBI4k9LLw2YB4aUgB91esLl1SmKB_CLUMs8ffZeFnp8drl2pVvrLK5DLAA",
            "sk-ant-admin01-g2QsBjnNZGgD54anbKmNpLBrPHRP8DzuTf5Q0ztgwHu9zWVxdUUXfi17D4eA1_j3qTmKqHWO3GSjQFuRpD0A66iQZoJQOAA",
        ),
        must_not_match=(
            "sk-ant-api03-2zH843odZ8CYMc3OsekYAA",
            "sk-ant-api03-WGqnpdm186FTrHCy_OWcz-gBTmuwW3fBM4cr5iDV5f5o6KqIkuKI5IQOQGkfgDsy3qv33Kx3zP0H7wojMtIKwMHHHC0YwBB",
        ),
    ),
    token(
        "groq-api-key",
        "Groq API key",
        r"gsk_[A-Za-z0-9]{52}",
        must_match=(
            "GROQ_API_KEY=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",
            "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",
        ),
        must_not_match=(
            "gsk_AHLeWbZbCBpDoQvgkaU5",
            "gsk_4KIIclTwxn8oE21b5tlJdHTpLVxT7uG2qa8JoiKVlFIoYub5YTMd67YoV5Yd",
        ),
    ),
    token(
        "replicate-api-token",
        "Replicate API token",
        r"r8_[A-Za-z0-9]{37}",
        must_match=(
            "REPLICATE_API_TOKEN=r8_hVN9i1gZWxhfvn58kx2QGUr6qVrBCQKvag25E",
            "r8_qXafRaPocSKRDN4EE0SjLDTaRhNxPJ4oTRcsH",
        ),
        must_not_match=("r8_UIcNxAuR20u0p2itgxLD", "r9_1gF0YbEdkuYZYuLL7VqZjpEaRbTRs6BhIqGh6"),
    ),
    token(
        "perplexity-api-key",
        "Perplexity API key",
        r"pplx-[A-Za-z0-9]{48}",
        must_match=(
            "PERPLEXITY_API_KEY=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",
            "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",
        ),
        must_not_match=(
            "pplx-1xMymgeC1I2rU3Ns8GRO",
            "pplx-AjUclU5NkLIq1eYOfnr0ZNl23fDndEZgUXFYgdMbd48UMfKfcnqML54CQ9HF",
        ),
    ),
)

_MONITORING: tuple[PatternRule, ...] = (
    keyed(
        "datadog-api-key",
        "Datadog API or application key",
        r"datadog|dd_api_key|dd_app_key|dd_application_key",
        r"[0-9a-f]{32}|[0-9a-f]{40}",
        must_match=(
            "DD_API_KEY=3b5e8804e42a075e22fa02efcf43464e",
            "datadog_app_key: c55436e91d7c586167bdd9a8a95e94eddfef1589",
        ),
        must_not_match=(
            "DD_API_KEY=c1ba1ccc50de9c136cbf",
            "api_key=a74832c2ea7e402b4b07a823a3274282",
        ),
    ),
    token(
        "newrelic-key",
        "New Relic user API or ingest key",
        r"NRAK-[A-Z0-9]{27}|NRII-[A-Za-z0-9_\-]{32}|[a-f0-9]{36}NRAL",
        must_match=(
            "NEW_RELIC_API_KEY=NRAK-L3JIIK9UYQKTSB5X3X4CQLHN2IZ",
            "license_key: 52a028bbfe1e70ebbcef676912d7320f76b9NRAL",
        ),
        must_not_match=("NRAK-Z67JCIDDQG", "NRXX-525DHQP6B6PD03QA5ZEGGU7SOTE"),
    ),
    token(
        "sentry-auth-token",
        "Sentry organisation or user auth token",
        r"sntrys_eyJ[A-Za-z0-9+/=_]{60,400}|sntryu_[a-f0-9]{64}",
        must_match=(
            "SENTRY_AUTH_TOKEN=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",
            "sntrys_eyJNA3ii3ETLwjkdYJZjXcralq2Wr9sVPel5EV8IParBy4YfHV1bJ6GDYjrUCgxUT36UGgeiU1q3wqBbe1EnwjOry4DGbSz8xIzoWOMrniI73knpFfQ9kVD2Ilv",
        ),
        must_not_match=(
            "sntryu_3b4a91527204fb39b3c1",
            "sntrys_gkUNjJWkyMvJi0DUrOtxKOCWWXY9R6rlvz65CcowokJw6EASu0bE3Y9bb9QRZqj7OpKqA0YLaFvc5WdUsDAiv8dG3YZLoozZw59G5fXkPssgexuenaGTUrAS",
        ),
    ),
    token(
        "sentry-dsn",
        "Sentry DSN with its key",
        r"https://[0-9a-f]{32}@[a-z0-9.\-]+\.(?:sentry\.io|ingest\.sentry\.io)/[0-9]{1,10}",
        severity=Severity.MEDIUM,
        must_match=(
            "SENTRY_DSN=https://a69c618fd708b240e8ec6e0deb48f082@o123456.ingest.sentry.io/4504",
            "https://d675b0672b397727689e88bbbb19ed2f@o1.ingest.us.sentry.io/42",
        ),
        must_not_match=(
            "https://97db2a3ee0f9dfd076a4405ee8a6e8ba@sentry.acme.test/1",
            "https://92fc514bc375@o1.ingest.sentry.io/1",
        ),
    ),
    token(
        "grafana-token",
        "Grafana Cloud access policy or service-account token",
        r"glc_[A-Za-z0-9+/]{32,400}={0,2}|glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}",
        must_match=(
            "GRAFANA_TOKEN=glsa_jnjPrAfmYkD4X6sD0PG91js8KexMyQbo_af59008c",
            "glc_pvDyc2FWNlrpmiy4UVjC07QL3kwQenIr6nmVgtYS71lzkQs1Gp21aEkG9EmKb4IJRwQYnGPzC4xx9aZP==",
        ),
        must_not_match=("glsa_FRXNnMIOV5NTfVHzYftDOorMAtJ2QjhA", "glc_MS4GuI6jVu"),
    ),
    token(
        "dynatrace-token",
        "Dynatrace API token",
        r"dt0c01\.[A-Z0-9]{24}\.[A-Z0-9]{64}",
        must_match=(
            "DT_API_TOKEN=dt0c01.2EBG544KIID9DXEA2XFWYPQH.RQGL9U28XPCXJPDA1H5B2O4R9TT5TB0IYM96AOH01PWAMMUU2QR195W93G1JZQPK",
            "dt0c01.WOENX4NFGPCI905P578PE01X.WXFSKOA29A8ZJV5D07E5KUDZJ4U58CD57DRDFYDBXIFO6MZXLY2S559J9WBB3C84",
        ),
        must_not_match=(
            "dt0c01.1CAFRTU037HZGVSDEI3AC47X.0TZ1PDXSVA",
            "dt0c02.RJOUPSOXM9CLNOE45K3AKZZE.TMS12PP4DIWAYZDPWU9LF83ZPOI5VIS5KYD4TX0OVG2JDU3RS63YJ4E5Z2W2FJ3G",
        ),
    ),
)

_INFRASTRUCTURE: tuple[PatternRule, ...] = (
    token(
        "doppler-token",
        "Doppler service, personal, CLI or service-account token",
        r"dp\.(?:pt|st|ct|sa|scim|audit)\.[A-Za-z0-9]{40,44}",
        must_match=(
            "DOPPLER_TOKEN=dp.st.wJJfY1NGwNCZ94wnevyXLNi46PT4nVq36CHAom6bMTh",
            "dp.pt.jQjq8PpRrAZpGyqojGL87n7YNWAfMIEpyzaWK8dJEnK",
        ),
        must_not_match=(
            "dp.st.ookAtiIKqA4a9u06oLC1",
            "dp.xx.JzxAWn4uEwb3uOKXd0Uwm05mNUK05cQocErH7xfkSLP",
        ),
    ),
    token(
        "vault-token",
        "HashiCorp Vault service or batch token",
        r"hv[sb]\.[A-Za-z0-9_\-]{24,}",
        severity=Severity.CRITICAL,
        must_match=(
            "VAULT_TOKEN=hvs.H_DMRH8a9QxaA2LT-qL6GQV8s8JgB3OEhQnrxrRGX6xobWXopn0xhpQ1NyMpYeN6SFoTr1IKcU5nqR5wFemrQJeOjt",
            "hvb.5XK6ojKaopBeqb20IxgNpfwvOKeDla-_349VC5A8tvceJVFePvxWQ32CGX_NzkZlfh8QR-bLmuMCQBzja51rafKruxTc8aNtkTJDMz81EU88a8mp-mci6_o2",
        ),
        must_not_match=(
            "hvs.UBCXfg-WaR",
            "hvx.WiaEeXGOMce1XnwR8nT5Hrl3sP1RnTGtJZorX0_irAGkok950wSMWhUAArq2O2809m_2g1ICDZtwsb89L7QCTlzYTn",
        ),
    ),
    token(
        "terraform-cloud-token",
        "Terraform Cloud / HCP Terraform API token",
        r"[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_\-]{60,70}",
        must_match=(
            "token = XWre4m2k5Fgo1I.atlasv1.YkxU565gx6P6kuJSBTOYxy4F7_pdgBN7xZvVeVN1w-Ejmrnyy6CIWQJ1RgohB7XYjHb",
            "PuvKtKPykIOr8E.atlasv1.-6TsWvp2h4wBnZf4s_s-EYN74NEL5plstl8nwl-0J7rRythHj3o4JkNUwAmw50X06CQ",
        ),
        must_not_match=(
            "BBBIcRnAroNF4F.atlasv1.KH4LkMWjOKdHSjFnVyP1",
            "M9dr7tCggbOcTV.atlasv2.ptFy7TtHAQo5UEUtYkKFMSSLgIoGGJnzqq_Bn86YYAETqdJeXQl58kpaixqBAaUwV1Q",
        ),
    ),
    token(
        "pulumi-token",
        "Pulumi access token",
        r"pul-[a-f0-9]{40}",
        must_match=(
            "PULUMI_ACCESS_TOKEN=pul-98ce291a89a3c3c82a2c95b7018c4442c67492b1",
            "pul-1f59b9494b9ba7c9876091b22510e46e416bcfb2",
        ),
        must_not_match=("pul-b9f9b9f9e77d0258dbc1", "pul-QMQU4INU2619ZM1CPAT0MLIL2O6EY5BDMP8M9VOG"),
    ),
    token(
        "heroku-api-key",
        "Heroku platform API key",
        r"HRKU-(?:AA)?[A-Za-z0-9_\-]{58,62}",
        must_match=(
            "HEROKU_API_KEY=HRKU-AAXj_iW52X4Chi-SQKnuJTGoQdNMg1kPliOnMCw4BX8r29yz8QSmja2z2shC",
            "HRKU-6We_U1LSFQpTaeQlj6wlYx6q6ssJ0sR-X_NqPsaDshe2dQ6qxfw_9P7JT9sZ",
        ),
        must_not_match=(
            "HRKU-0IRNgiaXdrzPxkAF6-px",
            "HRKX--J9xu0BlA-Ha2xKoaLRxdm_zwIsuAxR42siSFf9iKA3_KNp4Gbj2omeRubGE",
        ),
    ),
    keyed(
        "heroku-legacy-api-key",
        "Heroku API key (UUID form, next to its name)",
        r"heroku",
        r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
        must_match=(
            "HEROKU_API_KEY=eaaeba61-6433-4ab0-bd17-ceb40575d300",
            "heroku_token: 677ccf0f-fd8b-4969-8383-2a752b3ecd33",
        ),
        must_not_match=(
            "request_id=0073c46c-84bf-4004-8c61-0e0ee2917dca",
            "HEROKU_API_KEY=a371faae5876475e9a404be56173ca19",
        ),
    ),
    keyed(
        "netlify-token",
        "Netlify personal access token",
        r"netlify",
        r"nfp_[A-Za-z0-9]{36}|[A-Za-z0-9_\-]{43}",
        must_match=(
            "NETLIFY_AUTH_TOKEN=nfp_fIZQts3R3d0UZIWkuV6OBRH54pC1b2BhpkTK",
            "netlify_token: zSn88zKWTBm0Bfna0QTCAIHO4XYs0Vds11OXbIOVqAk",
        ),
        must_not_match=(
            "NETLIFY_AUTH_TOKEN=85M5ormx7O3BdERHk9r_",
            "auth_token=nfp_RtuMkc9TmOtKwy4QG41l",
        ),
    ),
    keyed(
        "vercel-token",
        "Vercel access token",
        r"vercel",
        r"[A-Za-z0-9]{24}",
        must_match=(
            "VERCEL_TOKEN=LdbTACW8pQ5M2V4QvZWIDUcW",
            "vercel_api_token: tWRC7GrGmkaeuHw3nwwMjNn7",
        ),
        must_not_match=("VERCEL_TOKEN=7NJ8eXM7n8fB", "token=xf2ErXHN2kLAalCmqEztrDXK"),
    ),
    token(
        "planetscale-token",
        "PlanetScale service token, password or OAuth token",
        r"pscale_(?:tkn|pw|oauth)_[A-Za-z0-9_.\-]{32,64}",
        must_match=(
            "PLANETSCALE_TOKEN=pscale_tkn_eJ17pPTNWJLxbj5Kg6FOTuNPu7DWAFkZZ2HwROft4i4",
            "password: pscale_pw_wz9gIrHPKLty35-o3HAUQMaTkjusltter7AODCz_xhk",
        ),
        must_not_match=(
            "pscale_tkn_ernis2C0uH",
            "pscale_xyz__KUFXlqUDJjeVn-IuOe2-sgkH2yz21EkjIBF4tYjZcO",
        ),
    ),
    token(
        "supabase-token",
        "Supabase personal access or secret key",
        r"sbp_[a-f0-9]{40}|sb_secret_[A-Za-z0-9_\-]{20,64}",
        must_match=(
            "SUPABASE_ACCESS_TOKEN=sbp_f55900cdfc01a0312e6f783265778ce408216c06",
            "sb_secret_LKDszIrk4O3zsrQG9wFfBDrSrtuFdtx",
        ),
        must_not_match=(
            "sbp_574ffd20b6d50c9a2eb6",
            "sb_publishable_a8ZwpIBJsUFw8mNBH8R2SIr0mK1663S",
        ),
    ),
    token(
        "databricks-token",
        "Databricks personal access token",
        r"dapi[a-f0-9]{32}(?:-[0-9])?",
        must_match=(
            "DATABRICKS_TOKEN=dapidcf54676255ddb60a5dd53d4d3737646",
            "dapica94a60a0ebefb9c93f393c07d2b14a1-2",
        ),
        must_not_match=("dapi0da18c4c099a1bf2becf", "dapi9FM3LYJM3S3BJWA3RTLUV43APR9XJ37J"),
    ),
    token(
        "fly-io-token",
        "Fly.io access token",
        r"FlyV1 fm[12]_[A-Za-z0-9+/=_\-]{100,}",
        must_match=(
            "FLY_API_TOKEN='FlyV1 fm2_aJZXDpMtRoftgOuYfhB4Gg4sJY7V5ThzN84VfrwvMHe26QDQqoTPSLovc66vlRfGVbsGoaTG8WuO4qWPbDEwrYIp48Nmlq9fwr4koPz13wiVB1h8tbHCZbVb'",
            "FlyV1 fm1_A6AuckZs-NHdAcX3D3tph48kobCQr7yG-a0JgujCs2eqASAly7rvrvPGjE0bBar9LiuhAKFwSRvyPuD2ZEMhGdqVBqlc1m08GWDn2GPMa9AsOv",
        ),
        must_not_match=(
            "FlyV1 fm2_ZWo1km7hYlDfal5L7EZ2",
            "FlyV2 fm2_muqFHcD25CCeZJeYEQ0vAdSgafDKGmiVXP0v7vqnQIsTt4CFpsWLNAOA2VCLGaGfOaAdYoQx13MzNRddJXEFkbK4iNhPWja8YkxaObVVafqP6Kfruo2g6shT",
        ),
    ),
    keyed(
        "okta-api-token",
        "Okta API token",
        r"okta",
        r"00[A-Za-z0-9_\-]{40}",
        must_match=(
            "OKTA_API_TOKEN=00H2inrYV6EtJ-a9tT4WaJWIdciIJoOOYwYlY9dDZM",
            "okta_token: 00WNZpMF2LzSCcwgKASFMnzHY6S7f2MfiMRmVm0sb3",
        ),
        must_not_match=(
            "OKTA_API_TOKEN=00guO_jNpobAXkTmeQdcYi",
            "token=00f022uGVfHBTmPqBnCw8KyrE12hB8KiQuF7F3e1im",
        ),
    ),
)

_PRODUCTIVITY: tuple[PatternRule, ...] = (
    token(
        "linear-api-key",
        "Linear API key",
        r"lin_api_[A-Za-z0-9]{40}",
        must_match=(
            "LINEAR_API_KEY=lin_api_2JUEyqXQjcOinzSKIP28CY0ve8rPT8nVvajiisQQ",
            "lin_api_6FEF8KlhHWtM0e0yJ0kCyIjWZYzPZ2aNX7n8o1dW",
        ),
        must_not_match=(
            "lin_api_9rDttLOLMZKPSiXEkJHf",
            "lin_oauth_inx5iUvbyyXTOJysz97FU8JJocuqzEiYZcVKdM4b",
        ),
    ),
    token(
        "notion-token",
        "Notion integration token",
        r"secret_[A-Za-z0-9]{43}|ntn_[0-9]{11}[A-Za-z0-9]{35}",
        must_match=(
            "NOTION_TOKEN=secret_R7PXeVFINq71HxI5lD9PNNm6t1MfNTcj5Yo3ZIGRBpu",
            "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",
        ),
        must_not_match=("secret_gtRfDzb2tMMukXanYdqx", "ntn_vZ08JvaS9P"),
    ),
    token(
        "airtable-token",
        "Airtable personal access token",
        r"pat[A-Za-z0-9]{14}\.[a-f0-9]{64}",
        must_match=(
            "AIRTABLE_TOKEN=pat0FrPAR8MYzwROj.5b1f54186112219d3ad64961209d7be7e5206a61749929ca575c812743f3c813",
            "patoQHlCUMm6yar03.a4f75c827339edfc3d3a47351ea0cd9f2dd996b74f0a8b0e5a45526ec57b4d5e",
        ),
        must_not_match=(
            "patZxrXJbpb4gMJ2H.06d0cb0b0de30e8f7a4b",
            "pat07cvhngj.932615cb2b9d53bf0e2bcfb21d6b65ea3a3f5d3055bbe9c66953adf1b10f70b3",
        ),
    ),
    token(
        "postman-api-key",
        "Postman API key",
        r"PMAK-[a-f0-9]{24}-[a-f0-9]{34}",
        must_match=(
            "POSTMAN_API_KEY=PMAK-2feb45bf3067ba36e3d26258-71bc8c086f6c3761676e69e4d25a170041",
            "PMAK-cb50bc2cf13539305cf168bf-9a4c4fee35eb4864d6b9b6ca18ac22f22a",
        ),
        must_not_match=(
            "PMAK-f9140112dfd79e67ddf0465e-1b78b63b0f",
            "PMAK-cc4e948f4135cf821baaa48ec97606c9b8",
        ),
    ),
    token(
        "figma-token",
        "Figma personal access token",
        r"figd_[A-Za-z0-9_\-]{40}",
        must_match=(
            "FIGMA_TOKEN=figd_VSb_HzJ4Kze-TpdsIuI_XmPwXTs9tS6VEAQB-7FJ",
            "figd_fdgP7cNqZfruTEsC_cGH5_fqRZZ_Ah2Ot_LSmcDa",
        ),
        must_not_match=(
            "figd_D9d2Fo0gOnnqM2tF-tXN",
            "figx_XAOKzXc7HiE62UScucxfElOZxUqQoljKJATrciIF",
        ),
    ),
    token(
        "mapbox-secret-token",
        "Mapbox secret access token",
        r"sk\.eyJ1Ijoi[A-Za-z0-9_\-]{30,120}\.[A-Za-z0-9_\-]{22}",
        must_match=(
            "MAPBOX_TOKEN=sk.eyJ1Ijoilp-oQ5j5Nl2l58i8DZDBaIJ17ojeJs3BfkfgfG01SlXNuXv9X7tvWBgmuzqy.oVLzJoVum5OMYvAuIpiwqQ",
            "sk.eyJ1IjoitetRiUvtvMeIyDyUGCjVrWhrThuSf-BjwBs4Y0S6.mMM003e12QPqJPXDGwunhe",
        ),
        must_not_match=(
            "pk.eyJ1Ijoi3qoNIz1hcosxclHkw3VmuXzOotMG8Avoi94N5cKuTeA5c3ulI7x7PuakLZ4Y.kTCaJLxvilhPGRDlXprvIZ",
            "sk.eyJ1IjoiMFyqUY4DXl.AVJETvYk-npE4OAP17J6Mb",
        ),
    ),
    token(
        "readme-api-key",
        "ReadMe API key",
        r"rdme_[a-z0-9]{70}",
        must_match=(
            "README_API_KEY=rdme_aicqpkeo2hy62bwcwz6bjj2mlii7kyl31tg2j7p88coicm1l532s068zs4xxgfu3szu3mc",
            "rdme_xkqklfspiszzx2h7lstfzgcc6a5vxainjx5hddo8xdj4c5l7w9jwotegzsynkbmsxdeqi2",
        ),
        must_not_match=(
            "rdme_35aabn850pwjmhjjfam3",
            "rdme_MW9EB6O2C9XER882NEBTUHTK1TJZC7ADB68FO008X1UZFYAW01LXD18UGAJTPFCADQQ9MX",
        ),
    ),
    token(
        "prefect-api-key",
        "Prefect Cloud API key",
        r"pnu_[A-Za-z0-9]{36}",
        must_match=(
            "PREFECT_API_KEY=pnu_aRdcculq5TIWkynlgmOzqlPfJhAgUTULSBEg",
            "pnu_MLjsHoWHxEoImmD9uTsSpLdWM4foRrcE7F6g",
        ),
        must_not_match=("pnu_BTU9SRAQ2IwWpxYSQhMn", "pnx_J4Nwg45iSAPk2rmmmQ1vTRrXHFeoBBt3WmDz"),
    ),
    token(
        "shippo-api-token",
        "Shippo live API token",
        r"shippo_live_[a-f0-9]{40}",
        must_match=(
            "SHIPPO_TOKEN=shippo_live_c1bdb0f3452ca39dc6f51561090c441553bbf57d",
            "shippo_live_554061a6433eb7bed9945606a98cea4aaaf05bcd",
        ),
        must_not_match=(
            "shippo_test_8061cdb554a6577d5ae6480828e473a063d97a76",
            "shippo_live_8df2110a08487e626b5c",
        ),
    ),
)

SAAS_RULES: tuple[PatternRule, ...] = (
    *_MESSAGING,
    *_AI,
    *_MONITORING,
    *_INFRASTRUCTURE,
    *_PRODUCTIVITY,
)
