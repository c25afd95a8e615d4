"""Payments and commerce: Stripe, Square, Braintree, Shopify, Flutterwave, Plaid..."""

from __future__ import annotations

from leaktrace.core.finding import Severity
from leaktrace.detect.patterns import PatternRule
from leaktrace.detect.secrets._common import keyed, token

PAYMENT_RULES: tuple[PatternRule, ...] = (
    token(
        "stripe-live-key",
        "Stripe live secret or restricted key",
        r"(?:sk|rk)_live_[A-Za-z0-9]{24,99}",
        must_match=(
            "STRIPE_SECRET_KEY=sk_live_gktwBhn9XByleoz66y0S36kK",
            "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",
        ),
        must_not_match=("sk_live_LTyrne3IIS", "pk_live_cFMBfWh9FOza0xKs5v6nfi2z"),
    ),
    token(
        "stripe-webhook-secret",
        "Stripe webhook signing secret",
        r"whsec_[A-Za-z0-9]{32,64}",
        must_match=(
            "STRIPE_WEBHOOK_SECRET=whsec_2JuwlbFETarn7GTCpP5bJoxiqcqxh9Hw",
            "whsec_RzY6V2nJCsM17Eaw0gmUW9dDiRU5tziRU40cm6pX",
        ),
        must_not_match=("whsec_Nsn5Kn07BL", "whsec_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"),
    ),
    token(
        "square-access-token",
        "Square access token or application secret",
        r"EAAA[A-Za-z0-9_\-]{60}|sq0atp-[A-Za-z0-9_\-]{22}|sq0csp-[A-Za-z0-9_\-]{43}",
        must_match=(
            "SQUARE_ACCESS_TOKEN=EAAArW-AciwLOWkhaBa0nih4hf3rbRxZexoOlAzrkxibb87pK2jUEmdkCf2pqY4S",
            "sq0csp-_FnOWMR-uUA-XVeCqbHEK9VKEYgmDKAWA2CitQXHz1F",
        ),
        must_not_match=("EAAA4kv00HkHifFJMl7DuCXN", "sq0atp-UYVHjvOh"),
    ),
    token(
        "braintree-access-token",
        "Braintree / PayPal production access token",
        r"access_token\$production\$[a-z0-9]{16}\$[a-f0-9]{32}",
        must_match=(
            "BRAINTREE_TOKEN=access_token$production$vos7up035xbkalln$85dc501628d6be18a7bf51229228cfd9",
            "access_token$production$fto8w0cw2v1mf5d8$016662c94848dfe9b9d2ab45e9d0d56c",
        ),
        must_not_match=(
            "access_token$sandbox$w4nhjoa0j6g2jt4c$490bda6f42579a68c4ddae71cf4f4951",
            "access_token$production$oc1u13r3nef73pet$69b6a4b18b",
        ),
    ),
    keyed(
        "paypal-client-secret",
        "PayPal REST client secret",
        r"paypal",
        r"[A-Za-z0-9_\-]{80}",
        must_match=(
            "PAYPAL_CLIENT_SECRET=E7Fd6Q4NlAmEvadmFQkKuvDvnl-jFJJ1r_KNrSr3mNTvNzrM8v_IeqigREeLlX8iqFDPFtc8aW_aW8He",
            "paypal_secret: Ey1iAQH6PMzNfjLwHsVMnpQUYbby7JnaWCMkT5OVrYwJ_JFQwUBCX8LPs7gTSkFXKL_D4Rof_SkAs6MS",
        ),
        must_not_match=(
            "PAYPAL_CLIENT_SECRET=Eii7ziO5rjYEsxwqWum9f",
            "client_secret=EFJiawwOjyZbIJVEJO9O4Q6lsi7wBMom4JbAEoc83JuPyw1BOlhlwuMaKxHGu_P18lIaa5H6CFewQcLv",
        ),
    ),
    token(
        "shopify-token",
        "Shopify admin, custom-app, private-app or shared secret",
        r"shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}",
        must_match=(
            "X-Shopify-Access-Token: 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",
            "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",
        ),
        must_not_match=("shpat_f12da7a4a0d929918e0e", "shpxx_3f1152896a9348bf6e0ab9a825d78704"),
    ),
    token(
        "flutterwave-secret-key",
        "Flutterwave secret key",
        r"FLWSECK(?:_TEST)?-[a-f0-9]{32}-X",
        must_match=(
            "FLW_SECRET_KEY=FLWSECK-a1b40992dbb43fd7f6772e5e3d0e0263-X",
            "FLWSECK_TEST-8ffd3bfc83a2462b11b73b5f454f2a26-X",
        ),
        must_not_match=("FLWSECK-ad0727e2dc78-X", "FLWPUBK-4927b799d24fedefc7da284ccfb69a50-X"),
    ),
    token(
        "plaid-access-token",
        "Plaid access token",
        r"access-(?:sandbox|development|production)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}"
        r"-[0-9a-f]{4}-[0-9a-f]{12}",
        must_match=(
            "access_token: access-production-3bf53363-d835-4f29-9083-b73f2411302f",
            "access-sandbox-ac3a5dd9-d960-44fc-a5a7-96b2598dddc4",
        ),
        must_not_match=(
            "access-staging-84aa693a-9639-4e3e-a913-6f4013e5acaa",
            "access-production-6bfd4d5a4e1a128071f1d2164816b64c",
        ),
    ),
    keyed(
        "adyen-api-key",
        "Adyen API key",
        r"adyen",
        r"AQE[A-Za-z0-9+/=_\-.]{80,200}",
        must_match=(
            "ADYEN_API_KEY=AQEJUo3LSEKMWqOxtV8GfaZK8J6eRgpDAkMrjtas3u5FuVMOk5QRMBgNQf5s6Uoq0Waei2zDNC44sc51CJpI1oKqZK1ylRWhf321mAiZwQ6VJdPkvB5VzC60VpR",
            "adyen_key: AQEKHND8nVepoFMWHgiyOyODrQwM2bdDPLMVCwgmONLWpxNOmrDK6NdPyFi43NtFvYnOq9UKsBCOz86TNqkZnU4nISaFq",
        ),
        must_not_match=(
            "ADYEN_API_KEY=AQEGe979SxIC3OnP8i5Ukui",
            "api_key=AQEatx5hzshavzidZchZSBhdBfFYh6AMdlSkK1MhtLaQt6bxOblhKwo1K4vS2tY5AQExd7b20ZSzeqluBsn68nyZIjkfn8VrMNETnPxjo1WTLLlOAweBZB4MBU7",
        ),
    ),
    token(
        "razorpay-key",
        "Razorpay live key id",
        r"rzp_live_[A-Za-z0-9]{14}",
        severity=Severity.MEDIUM,
        must_match=("RAZORPAY_KEY_ID=rzp_live_18J2PhLbDyDfux", "rzp_live_ZsEARC5MgstUWI"),
        must_not_match=("rzp_test_BCXJg8N9XBpgzs", "rzp_live_53hzT1nR"),
    ),
)
