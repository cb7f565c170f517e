"""Server settings that change the fake's behaviour, with Mattermost's defaults."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Config:
    """Mutable at any time from tests (e.g. `server.config.hook_max_uses = 2`)."""

    site_url: str = ""
    # The X-Version-Id header: what Relais reads to choose dialog elements (11.0 multi-select, 11.1 date pickers).
    server_version: str = "10.7.0.0.mmserver.fake.false"
    # ServiceSettings.OutgoingIntegrationRequestsTimeout: command/action/dialog calls and trigger_id lifetime.
    integration_timeout: float = 30.0
    trigger_ttl: float = 30.0
    # model.CommandWebhookLifetime and the TryUse(hook, 5) limit of response_url.
    hook_ttl: float = 1800.0
    hook_max_uses: int = 5
    # Grant manage_slash_commands to plain team users (EnableOnlyAdminIntegrations=false).
    allow_user_commands: bool = False
    enable_commands: bool = True
    enable_post_username_override: bool = False
    enable_post_icon_override: bool = False
    # Current master sends `root_id` in the slash-command form; 2025-03 code did not.
    send_root_id: bool = True
    # model.PostMessageMaxRunesV2
    max_post_runes: int = 16383
    # platform/web_conn.go authCheckInterval
    ws_auth_timeout: float = 5.0
    # The real server may send `hello` before the auth reply; both orders happen.
    ws_hello_first: bool = True
    max_integration_response: int = 1024 * 1024
