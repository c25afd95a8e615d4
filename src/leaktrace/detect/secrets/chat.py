"""Chat and messaging: Slack, Discord, Telegram, Microsoft Teams and others."""

from __future__ import annotations

import base64
import binascii

from leaktrace.core.finding import Severity
from leaktrace.detect.patterns import PatternRule
from leaktrace.detect.secrets._common import not_placeholder, token, token_like


def _discord_bot_token(value: str) -> bool:
    """The first part of a Discord bot token is the bot's numeric user id, base64-encoded."""
    first = value.split(".", 1)[0]
    try:
        decoded = base64.urlsafe_b64decode(first + "=" * (-len(first) % 4))
    except (binascii.Error, ValueError):
        return False
    return decoded.isdigit() and 17 <= len(decoded) <= 20 and token_like(value)


CHAT_RULES: tuple[PatternRule, ...] = (
    PatternRule(
        id="slack-token",
        description="Slack bot, user or app token",
        pattern=r"(?<![A-Za-z0-9])(?P<value>xox[baprs]-[0-9]{8,13}-[0-9]{8,13}-[A-Za-z0-9-]{20,34})",
        severity=Severity.HIGH,
        validator=not_placeholder,
        must_match=(
            "xoxb-123456789012-1234567890123-4F0sAB2XZlW8b0ra0kdxPq9q",
            "SLACK_TOKEN=xoxp-351209641763-547795240231-4XcV48NPDeW9OE6i0pRn08htAosXvkXO",
        ),
        must_not_match=(
            "xoxb-123-456-abc",
            "xoxq-788357980595-680738630491-gJPFjsxPEriD82Im6O10IqjwiGh6FnEA",
        ),
    ),
    token(
        "slack-app-token",
        "Slack app-level token",
        r"xapp-\d-[A-Z0-9]{9,11}-\d{10,13}-[a-f0-9]{64}",
        must_match=(
            "SLACK_APP_TOKEN=xapp-1-A1TBEO1OBPM-9676371070622-a757ccd38509845a4bb5fe58f86d81b00728eb13fea0690a8a6daaa4cdaad43c",
            "xapp-1-AE45J618MQ-365699362209-80d1019c50a7615f2f7324865a6973a26669cc2dc1be36114908557cdbffd915",
        ),
        must_not_match=(
            "xapp-1-A5MI12IXVM0-8710432572400-dc11de04fe613878f7bf",
            "xapp-1-8430a0fbeab5a4b34fc8383959d1da11afc595ed0dc7e34af6168ababcd35c3d",
        ),
    ),
    token(
        "slack-webhook",
        "Slack incoming webhook or workflow URL",
        r"https://hooks\.slack\.com/(?:services|workflows|triggers)/T[A-Z0-9]{8,11}/[AB][A-Z0-9]{8,11}/[A-Za-z0-9]{20,32}",
        must_match=(
            "https://hooks.slack.com/services/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",
            "url: https://hooks.slack.com/workflows/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",
        ),
        must_not_match=(
            "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
            "https://hooks.slack.com/services/TVW4DSWKN6/BZSMQMH7582",
        ),
    ),
    token(
        "discord-bot-token",
        "Discord bot token",
        r"[MNO][A-Za-z0-9_\-]{23,27}\.[A-Za-z0-9_\-]{6}\.[A-Za-z0-9_\-]{27,38}",
        validator=_discord_bot_token,
        must_match=(
            "DISCORD_TOKEN=MTIzNDU2Nzg5MDEyMzQ1Njc4OQ.GS8BGh.wgKdGluESFyRY05grHUBEzAxS7PFqEIqvnnVVw",
            "ODc2NTQzMjEwOTg3NjU0MzIx.YWgZU_.bHhRq2FR8P6WXLsXHt7KwjYVx9P",
        ),
        must_not_match=(
            "NZWzwDFrlGXl_z1BVXBt7wRkl.8OZfIa.2AUk7z7gTqBu4wweocv81k2lsNaWQr",
            "Mv6BEJxtpjHYJ_SLkADS6KBY.pAIrgr.LT261hIsDrIs_XBanFZUqk8rkncz",
            "MTIzNDU2Nzg5MDEyMzQ1Njc4OQ.GrFhOe.G91slA0EAh",
        ),
    ),
    token(
        "discord-webhook",
        "Discord webhook URL",
        r"https://(?:ptb\.|canary\.)?discord(?:app)?\.com/api/webhooks/\d{17,20}/[A-Za-z0-9_\-]{60,68}",
        must_match=(
            "https://discord.com/api/webhooks/826936497964070455/rCRRNcQVrH4eOWrV61FJeRgZqa58qnyBuK9G-LJ63dZlmhUlG-6suuK6Zzw0J7Z0_xQX",
            "https://discordapp.com/api/webhooks/6366967332994160245/-52NtqeLNtsmjSmwYutpH2CgbValKN_ElvHPOp2GRRIxjBrkoY55k0QM7W3sNNCWHIP4",
        ),
        must_not_match=(
            "https://discord.com/api/webhooks/045639268210250679/8S8f8ltYUvXebg6VIopf",
            "https://discord.com/api/webhooks/123/Z1LxRTDd8eIs4-_ANYCtQGqErWyGmMCYCDb2o_xELXPXC45Z51n-7HJb31SIaDBfhbrI",
        ),
    ),
    PatternRule(
        id="telegram-bot-token",
        description="Telegram bot token",
        # Alone, or right after `bot` as in the Bot API's URLs (`/bot<token>/getMe`).
        pattern=(
            r"(?:(?<=bot)|(?<![A-Za-z0-9_\-]))(?P<value>\d{8,10}:AA[A-Za-z0-9_\-]{33})"
            r"(?![A-Za-z0-9_\-])"
        ),
        severity=Severity.HIGH,
        validator=token_like,
        must_match=(
            "TELEGRAM_TOKEN=6515634964:AATWgVgv3wcdhKz2yBDrKWBV5nrBsvKdiEG",
            "token: 560111975:AAXuLG8fqq4wyHjwDH1tbmqBL59MDC0D122",
            "https://api.telegram.org/bot560111975:AAXuLG8fqq4wyHjwDH1tbmqBL59MDC0D122/getMe",
        ),
        must_not_match=(
            "x560111975:AAXuLG8fqq4wyHjwDH1tbmqBL59MDC0D122",
            "4510702187:AAITxHwHs_wx",
            "8581537062:BBkGmOvr3wptdPilDE70mE-tExLTx79nWzB",
        ),
    ),
    token(
        "teams-webhook",
        "Microsoft Teams incoming webhook URL",
        r"https://[a-z0-9\-]+\.webhook\.office\.com/webhookb2/[0-9a-f\-]{36}@[0-9a-f\-]{36}"
        r"/IncomingWebhook/[0-9a-f]{32}/[0-9a-f\-]{36}(?:/[A-Za-z0-9_\-]{20,})?",
        must_match=(
            "https://acme.webhook.office.com/webhookb2/1461607b-75d2-440b-90be-1c725158b9ce@2babb134-5b66-41c8-9d85-7ad7af296f16/IncomingWebhook/19346704f886cdb675d5749aa3903528/9af5e846-ae34-492f-8064-76ee8f0f62b6",
            "url = https://contoso-1.webhook.office.com/webhookb2/d8bf0f20-4d1a-4a48-b59b-90f74bc0b3b5@82c7ffb2-3c51-4463-bf71-d3157b4a71d7"
            "/IncomingWebhook/fa5760dbc66002b29f53d3c20d3f8d36/1aa948ea-77ce-4195-9fb6-d81ab9aabbca",
        ),
        must_not_match=(
            "https://acme.webhook.office.com/webhookb2/df688341-dc40-4376-965f-ced5dd0b98dd",
            "https://acme.example.com/webhookb2/5c95c5ed-a74d-449e-a805-cbcd439c6e6b@a513f4db-15ee-48a5-9194-9402cb8e2b78/IncomingWebhook/958d71dcc88cc63afbe00b8057d44e15/2f49683f-343e-4e9b-a688-6da2418167b9",
        ),
    ),
    token(
        "mattermost-webhook",
        "Mattermost incoming webhook URL",
        r"https://[a-z0-9.\-]+/hooks/[a-z0-9]{26}",
        must_match=(
            "https://chat.acme.io/hooks/xa1giqmj04o2lj8k0ri9pgf47s",
            "url: https://mm.internal/hooks/7gd8fk8rx0kxnw3ox4p0ibf50w",
        ),
        must_not_match=(
            "https://chat.acme.io/hooks/302cs5alvk",
            "https://chat.acme.io/hooks/4s8koj9h5c4t7681oyfck3mws1ijf0",
        ),
    ),
)
