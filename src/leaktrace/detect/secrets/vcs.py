"""Source hosting, package registries and model hubs: GitHub, GitLab, Bitbucket, npm, PyPI..."""

from __future__ import annotations

from leaktrace.core.finding import Severity
from leaktrace.detect.patterns import PatternRule
from leaktrace.detect.secrets._common import github_checksum, keyed, token, token_like

VCS_RULES: tuple[PatternRule, ...] = (
    PatternRule(
        id="github-token",
        description="GitHub personal access, OAuth, app or refresh token",
        pattern=r"(?<![A-Za-z0-9_])(?P<value>gh[pousr]_[A-Za-z0-9]{36})(?![A-Za-z0-9_])",
        severity=Severity.HIGH,
        # The CRC32 covers the 30 random characters only, not the prefix.
        validator=github_checksum,
        must_match=(
            "token: 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",
            "GH_TOKEN=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",
            "ghs_NqOthD9TgBsaL5yjXhn5UKP2HZ0RDN16MHLZ",
        ),
        must_not_match=(
            "ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "ghp_MRN5pSWWg22e85xkKnkW53mWvOfyo82Vyne0",
            # checksummed with the prefix included: not how GitHub computes it
            "ghp_Ky9Pf34qY6Nb3wWD25RQ4F5ZR3qa7y2hc4Hu",
        ),
    ),
    token(
        "github-fine-grained-token",
        "GitHub fine-grained personal access token",
        r"github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}",
        must_match=(
            "GITHUB_TOKEN=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",
            "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",
        ),
        must_not_match=(
            "github_pat_CfLdhRqJhrB8HhlPoARUO7_8nkj3ippGfOxJjafwhkT",
            "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",
        ),
    ),
    token(
        "gitlab-personal-token",
        "GitLab personal, project or group access token",
        r"glpat-[A-Za-z0-9_\-]{20,64}",
        must_match=("GITLAB_TOKEN=glpat-FWTR0VnNwITop5OnYyGw", "glpat-A41B7DYDnFoIfgg63_remkOjS-R"),
        must_not_match=("glpat-1UyyH899UsV3", "glpat-xxxxxxxxxxxxxxxxxxxx"),
    ),
    token(
        "gitlab-pipeline-trigger-token",
        "GitLab pipeline trigger token",
        r"glptt-[a-f0-9]{40}",
        must_match=(
            "token=glptt-933b5e0f3e7c8e40712b596ba931fe97ea8c90ca",
            "glptt-b1cd30cf3a857ba954f8f4b5e903460de065bd58",
        ),
        must_not_match=(
            "glptt-0de45e80c6ab87f93487",
            "glptt-zqXPA102SgjbHa3ICLCynHL9pTMvHUebnOy2VYtr",
        ),
    ),
    token(
        "gitlab-deploy-token",
        "GitLab deploy token",
        r"gldt-[A-Za-z0-9_\-]{20,64}",
        must_match=("password: gldt-CkNoAXHG-VCdWMTRGxg7", "gldt-daQoZUtpT30rh7k0OpVgkP1EohH"),
        must_not_match=("gldt-7Ebt51EB2X", "gldt-yyyyyyyyyyyyyyyyyyyy"),
    ),
    token(
        "gitlab-runner-token",
        "GitLab runner authentication or registration token",
        r"glrt-[A-Za-z0-9_\-]{20,64}|GR1348941[A-Za-z0-9_\-]{20}",
        must_match=(
            "token = glrt-cLXCvePRLtMhaL-L7GS3",
            "registration-token GR1348941DryoYOXtvtASEcXlsQLg",
        ),
        must_not_match=("glrt-vipxAScF", "GR1348941Bi78QuqQ"),
    ),
    token(
        "gitlab-other-token",
        "GitLab CI job, feed, incoming-mail, agent, OAuth or SCIM token",
        r"(?:glcbt|glft|glimt|glagent|gloas|glsoat)-[A-Za-z0-9_\-]{20,64}",
        must_match=("glft-UyVZ9qMI35I_c5CXPx7l", "CI_JOB_TOKEN=glcbt-9vNZZIQYE5pwAqlX1bt_k9VR"),
        must_not_match=("glft-GLjUgd2M", "glxx-nxkgKo-HlWxEpexzpBkY"),
    ),
    token(
        "bitbucket-app-password",
        "Bitbucket app password",
        r"ATBB[A-Za-z0-9]{32}",
        must_match=(
            "BITBUCKET_APP_PASSWORD=ATBBuYAdFoBcbHoSKYujjIuy2PZAWGlYHzAA",
            "ATBBJ5mbTNL2DEyXKzBDIACxmgd9PCxfAOIa",
        ),
        must_not_match=("ATBBvJXx0eHs83jD", "ATBByqGAp2qMxD9Dx27d0QSkQXOQOe53bBAFYFl8IJPV"),
    ),
    token(
        "atlassian-api-token",
        "Atlassian (Jira, Confluence) API token",
        r"ATATT3[A-Za-z0-9_\-=]{180,200}",
        must_match=(
            "JIRA_API_TOKEN=ATATT3xhiJJgmAm0A8GNr5wPuO5j2SFXjQA2BVo72zCXrxxVPYsdY-YKl1JZk1K5K4PMYhnQ7t9eUUemVlhh7rjBVznSXHEuqag_8wd7uaq9NW3GXqjPqYFpAmN2DmiBZk99dfgqFqn1Iax5m1Ywt78hFPJzak-wqsHeTurnEA6rnfhx-auDkkOzDrMVfb4E",
            "ATATT3YE4LPlEasktSXxVd39YBG_zSAvipKjcQhXjAxw7BBIzfjlbbrOeLvXsJbqIkp3p6MOvZlxqAg1AaHtXyfyLjlN4MNoqMtYdX392LiueFoxDOfGH6Dzy7DQMg7QQSiHxZliOAYfPZBUhsmEMt9xuLzGTxY5ChOrEMQdwkiXKqyHalGXWJVVNuus5hcuoF2B",
        ),
        must_not_match=(
            "ATATT3377dDO-wsAmdg_AbRGucCu4rCZRaD0kRvEXg0lw5",
            "ATATT4XxPF94-a7uwTu439nzzR94eYKTt3pscEMxtcLTiHEtlvMtDiilUUielUZ9DD-fTuwqflutv6PqDDQg5nKy3CfTooFvZUqYPAfKK7sRdOFEkuQVKzTwIVz9g45RSwvvpvRgHU4ITgpnC53EDUGszHcmDxzvgrTD-6dxNVOBPkHd1KcNPsXxIaMqRsy-",
        ),
    ),
    token(
        "npm-token",
        "npm access token",
        r"npm_[A-Za-z0-9]{36}",
        # npm's tokens end with the same CRC32 checksum of their random part as GitHub's.
        validator=lambda value: github_checksum(value) and token_like(value),
        must_match=(
            "//registry.npmjs.org/:_authToken=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",
            "NPM_TOKEN=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",
        ),
        must_not_match=(
            "npm_zZOLrHzwvKguKwHhiYYd",
            "npm_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "NPM_TOKEN=npm_m8MyiUx38ltjcnl9cyQ7679IBBQ9xD429uhv",  # checksum off by one digit
        ),
    ),
    token(
        "pypi-token",
        "PyPI or TestPyPI API token (a macaroon for pypi.org)",
        r"pypi-(?:AgEIcHlwaS5vcmc|AgENdGVzdC5weXBpLm9yZw)[A-Za-z0-9_\-]{50,}",
        must_match=(
            "password = pypi-AgEIcHlwaS5vcmci8uKsuvgbhcHnUXVg-we-AITZmZ6CmppYsQbC0Ifuv3y0FNrTHSfdRCp5vIKLfmawNdnNm",
            "pypi-AgENdGVzdC5weXBpLm9yZwq1i7OdeS4H4cCQ0jF44Q7iOIX7yxNEv55sMFiewuT_lgJFCOOz1ZTQVHK2U8",
        ),
        must_not_match=(
            "pypi-AgEIcHlwaS5vcmcxnvy9sb3gG",
            "pypi-5BrruJGCgkJ9sZn8wE04bi3tsd30nuMxzsGn0oIisJ8n8jeplhybZv5lCaJKKOCAqn6rW-uMWpKkQ56q",
        ),
    ),
    token(
        "rubygems-api-key",
        "RubyGems API key",
        r"rubygems_[a-f0-9]{48}",
        must_match=(
            "GEM_HOST_API_KEY=rubygems_7f451083e312db74cf49858b3fec86b8317783c067ff843d",
            ":rubygems_api_key: rubygems_68f5d0eb5ad309aebaa2c8aba470a6e1cdde764ed7545b57",
        ),
        must_not_match=(
            "rubygems_3f6a69988b422fea0b12",
            "rubygems_ERPZeNtdxCkczLKytdA4y1TJKDC8j7CXXLaQwT2efwNXg7PQ",
        ),
    ),
    token(
        "dockerhub-token",
        "Docker Hub personal access token",
        r"dckr_pat_[A-Za-z0-9_\-]{27}",
        must_match=(
            "DOCKER_PASSWORD=dckr_pat_o77Z2d-f_lbLqabwN4Gl2j0Fb48",
            "dckr_pat_VXjpsxxRiE8_Lj59iidLbjJV-Fm",
        ),
        must_not_match=("dckr_pat_NQsNny-L-C", "dckr_xxx_csBo2R-oNhC3y2hqXaLohJCeJDs"),
    ),
    token(
        "huggingface-token",
        "Hugging Face user or organisation access token",
        r"(?:hf|api_org)_[A-Za-z]{34}",
        must_match=(
            "HF_TOKEN=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",
            "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",
        ),
        must_not_match=("hf_ttgpFqwLGMOtPljzAEHz", "hf_dql7Z9QlkYv3WIMkNNR7aFva75r4juj84A1"),
    ),
    token(
        "nuget-api-key",
        "NuGet.org API key",
        r"oy2[a-z0-9]{43}",
        must_match=(
            "nuget push -k oy2gmsjbrxi7y2t9jixu9hmtucurgi38j20yerv50fk0lm",
            "NUGET_API_KEY=oy250n2f7e0zz25i8nvfuvhwjx4obmfcnidhk7nm25jgyg",
        ),
        must_not_match=(
            "oy25sm4so4qzowpb0h6xhfe",
            "oy2fVb2rJsuJSsuOagwULOETla4Te0MdKsArYYfy89OIYp",
        ),
    ),
    token(
        "clojars-token",
        "Clojars deploy token",
        r"CLOJARS_[a-z0-9]{60}",
        must_match=(
            "password: CLOJARS_bf1rjxxyrgj1uass85q81osrmkfejijapmxki49d1mqaffrtqijvb8z8gyll",
            "CLOJARS_77pohnk100vq0zkk5821wkc6dpakk4u68v8q3rrv6n3v52vc77b6c579ruee",
        ),
        must_not_match=(
            "CLOJARS_0qnk92f1moblb8cxxm36",
            "CLOJARS_QlTP68DONdtDaszzCuaED3FK7aAmTjinLn0oVHe3j2VKNZHWucEF25YLUEr6",
        ),
    ),
    token(
        "jfrog-api-key",
        "JFrog Artifactory API key or reference token",
        r"AKCp[A-Za-z0-9]{69}|cmVmdGtuOjAxOj[A-Za-z0-9]{40,60}",
        must_match=(
            "X-JFrog-Art-Api: AKCpbxAXUU8zB2wLf7UGUqTfHUcVYcqrTTdvPHNNeXVKrIMT6rtaLgqa2vckz72NAl4X8pw5E",
            "cmVmdGtuOjAxOj2gDa0KmKSktlS6sVX280JgZ9ny68Rh09um3Y6ZSYqdlRagzdW",
        ),
        must_not_match=("AKCpGK72hvRLNYaClXMTPjdT", "cmVmdGtuOjAxOj6utf8d0ckh"),
    ),
    token(
        "sourcegraph-token",
        "Sourcegraph access token",
        r"sgp_(?:[a-f0-9]{16}_)?[a-f0-9]{40}",
        must_match=(
            "SRC_ACCESS_TOKEN=sgp_dd7b1f76cdd75f671c9800418819ccb5c7c33f24",
            "sgp_968e9cd0ff22634d_2060d78009f2b77f0062ea877ca74d3767efba84",
        ),
        must_not_match=("sgp_6936f08407add4c1d9ef", "sgp_ExsFWFz5BLElVMwv0NIGrzaYc17Qda1F22N05aex"),
    ),
    keyed(
        "azure-devops-token",
        "Azure DevOps personal access token",
        r"azure_?devops|ado_?pat|devops_?pat|vsts",
        r"[a-z2-7]{52}",
        must_match=(
            "AZURE_DEVOPS_PAT=rwjaqva3spp2h2eidcsbgi7jzfmnartzhilphpbnqtwwd7y7y5oi",
            "vsts_token: z5umn4nbc7bgp2szvovzqy3idcsd27gkk7fmymhz4ukwhxc5w2cv",
        ),
        must_not_match=(
            "AZURE_DEVOPS_PAT=dzqjmnag3rtytw4m3voeji4gf5kulz",
            "token: n34ou6jbjf5nyo5baoxdcqop7wzurawzj6gbnjl4yjgn36pfsxk4",
        ),
    ),
)
