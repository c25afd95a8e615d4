"""Cloud providers: AWS, Google Cloud, Azure, DigitalOcean, Alibaba, IBM, Cloudflare, Linode."""

from __future__ import annotations

from leaktrace.core.finding import Severity
from leaktrace.detect.patterns import PatternRule
from leaktrace.detect.secrets._common import keyed, not_placeholder, token, token_like

CLOUD_RULES: tuple[PatternRule, ...] = (
    PatternRule(
        id="aws-access-key-id",
        description="AWS access key ID",
        pattern=r"(?<![A-Z0-9])(?P<value>(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})(?![A-Z0-9])",
        severity=Severity.HIGH,
        validator=not_placeholder,
        must_match=("key = AKIA2OGYBAH6STMMNXNN", "ASIA6NTMPYQPOL4YZ7YF"),
        must_not_match=("AKIAIOSFODNN7EXAMPLE", "AKIA1234"),
    ),
    keyed(
        "aws-secret-access-key",
        "AWS secret access key",
        r"aws_?secret_?access_?key|aws_?secret_?key|secret_?access_?key",
        r"[A-Za-z0-9/+]{40}",
        severity=Severity.CRITICAL,
        must_match=(
            "aws_secret_access_key = r0WvvQYhsVEbK8YE3hLlRK06X2jOj/k+Y3VHmO8+",
            'AWS_SECRET_ACCESS_KEY: "cwIrbAuc1gB4fKXTxVvtLn5udIDwpcfwQvYedifz"',
        ),
        must_not_match=(
            "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "aws_secret_access_key = f37YwrxbXxScw4KRiuU7ELmpD3AS2J",
        ),
    ),
    PatternRule(
        id="gcp-service-account-key",
        description="Google Cloud service-account key file (private_key_id)",
        pattern=r'"private_key_id"\s*:\s*"(?P<value>[0-9a-f]{40})"',
        severity=Severity.CRITICAL,
        validator=token_like,
        must_match=(
            '"private_key_id": "0fa1d450e63613a0f490be6cd1ad2ba6b3cba63f"',
            '{"private_key_id":"fcf1d91796c5a667775ccb2547b0287843380fef",',
        ),
        must_not_match=(
            '"private_key_id": "3c95bc974278"',
            '"key_id": "9bffb379ac7b36563062d875b5e5ba54a09e2818"',
        ),
    ),
    token(
        "gcp-api-key",
        "Google Cloud / Firebase API key",
        r"AIza[0-9A-Za-z_\-]{35}",
        must_match=(
            "apiKey: 'AIzaMVE8JFK6bwinivRJTgMJHa73mvZjSwfJdKN'",
            "key=AIzayMB-v_l0KNRLk5jywkSfp7DiRX4rbdvurjS",
        ),
        must_not_match=("AIzapUHW8vlq3swmbpunWi4v", "AIzaSyXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"),
    ),
    token(
        "gcp-oauth-client-secret",
        "Google OAuth client secret",
        r"GOCSPX-[A-Za-z0-9_\-]{28}",
        must_match=(
            "client_secret=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",
            '"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"',
        ),
        must_not_match=("GOCSPX-eViPunXz7zwF", "GOCSPX-xxxxxxxxxxxxxxxxxxxxxxxxxxxx"),
    ),
    PatternRule(
        id="azure-storage-key",
        description="Azure storage account key in a connection string",
        pattern=r"(?i)AccountKey=(?P<value>[A-Za-z0-9+/]{86}==)",
        severity=Severity.CRITICAL,
        validator=token_like,
        must_match=(
            "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=kGii3RtO+4Vumz2XQTQtK7UKmhHdMhBd/SdYOX4Bl9CMtbyxLAHWC8NJ3tKTGMw+B9pnFyLcffVMgZ2+eOSzgG==;",
            "AccountKey=///NK0xAGsX1Mr6wpfIiF63TqfD4u2D37qFrmTH9w5g16RS4SbQaVEmFyGu7U1js/LqD+/LplgONTlZcA1HF3L==",
        ),
        must_not_match=(
            "AccountKey=AJ+bryyFVQVB1Hh80saw+SQyTPvTVDKdNNXw/55M==",
            "AccountKey=<your-account-key>",
        ),
    ),
    PatternRule(
        id="azure-sas-token",
        description="Azure shared access signature",
        # The signature is a base64 HMAC-SHA256: 43 characters and one `=`, URL-encoded or not.
        pattern=r"[?&]sig=(?P<value>(?:[A-Za-z0-9/+]|%2[BbFf]){43}(?:%3D|=))",
        severity=Severity.HIGH,
        validator=token_like,
        must_match=(
            "https://acme.blob.core.windows.net/c?sv=2022-11-02&ss=b&sp=r&sig=dR7BZnliKxfws7lWaLK0mx0HJzXN0QRgqGqqnqgA7si%3D",
            "?sv=2021-08-06&se=2030-01-01&sr=c&sig=aHkwMIOsqkB79qGfVsS3DTDrPR1UikHVAbO2K0Y5j5Q=",
        ),
        must_not_match=(
            "sv=2022-11-02&sig=short%3D",
            "&sig=Ce518o3ri3iul8O1s7pVcnC0UwnHxJSicYva2LfQ1TY",
        ),
    ),
    PatternRule(
        id="azure-service-bus-key",
        description="Azure Service Bus / Event Hubs shared access key",
        pattern=r"(?i)SharedAccessKey=(?P<value>[A-Za-z0-9+/]{42,44}=)",
        severity=Severity.HIGH,
        validator=token_like,
        must_match=(
            "Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=Root;"
            "SharedAccessKey=zHA/a3US9ahRhSr7Gm4KqiXfBmrCQAWgiOnPy75V/87=",
            "SharedAccessKey=HygGTaMghA95CdhiOOXnptemQ7JIJLPejr6GLnHBldU=",
        ),
        must_not_match=(
            "SharedAccessKey=SO6DzwNdd/FZkGbOh+8G=",
            "SharedAccessKeyName=RootManageSharedAccessKey",
        ),
    ),
    token(
        "azure-ad-client-secret",
        "Microsoft Entra ID (Azure AD) application client secret",
        r"[A-Za-z0-9_~.\-]{3}[0-9]Q~[A-Za-z0-9_~.\-]{31,34}",
        must_match=(
            "client_secret = abc8Q~Db6eaQs2IctIeU91qV_5GWGLiQteDBO_qb",
            "Zk_3Q~ACz2OFsWLyXizMYYyny10JbL226Jp571D5",
        ),
        must_not_match=("abc8Q~3UpOquPNVB", "abcdQ~GmCXcaN19QRvBmMMygOmkRirRBsJnHt03N"),
    ),
    token(
        "digitalocean-token",
        "DigitalOcean personal access, OAuth or refresh token",
        r"do[opr]_v1_[a-f0-9]{64}",
        must_match=(
            "DIGITALOCEAN_TOKEN=dop_v1_6ecb38d56e0dc7ce48c50e9c2694f1c983e77bdf5b3ddcf583f5afb82a057574",
            "doo_v1_c745edbc34d04fc42f3ed33971aece7a753c98b951438d539cdac576e33d9475",
        ),
        must_not_match=(
            "dop_v1_f0a618c81025b44a742da57f20d701abcdf69bfd",
            "dox_v1_5c3b395dede46ddfe0c5c3735522d0c5335ca7cbedea85da1fa2d999d036e246",
        ),
    ),
    token(
        "alibaba-access-key-id",
        "Alibaba Cloud AccessKey ID",
        r"LTAI[A-Za-z0-9]{12,20}",
        must_match=("access_key_id: LTAI3B73eG6FBUhUrcLwFtYd", "LTAIMcZ43XKutnhUPAMP"),
        must_not_match=("LTAIFKolgfaz", "LTAIxxxxxxxxxxxxxxxxxxxx"),
    ),
    keyed(
        "alibaba-access-key-secret",
        "Alibaba Cloud AccessKey secret",
        r"alibaba|aliyun|access_?key_?secret",
        r"[A-Za-z0-9]{30}",
        must_match=(
            "ALIBABA_CLOUD_ACCESS_KEY_SECRET=gO3hufqAZgiqZgeQymt295cft1NYcE",
            "access_key_secret: UnkG2enhgUnBj8Gka2QdpyDe8dy2E8",
        ),
        must_not_match=(
            "access_key_secret: eEHuGyxo6Qn6Evc5ZAcv",
            "aliyun: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        ),
    ),
    keyed(
        "ibm-cloud-api-key",
        "IBM Cloud IAM API key",
        r"ibm_?cloud_?api_?key|ibm_?api_?key|iam_?api_?key",
        r"[A-Za-z0-9_\-]{44}",
        must_match=(
            "IBMCLOUD_API_KEY=sn_Hkdv1BOHyPv9I9Op_43HyoBK7BeB101oS1w90W6HK",
            "iam_apikey: j1x-_TvU_qo1JBg9TCMvOaYjSEU1pvkSeQEXURiUW5sa",
        ),
        must_not_match=(
            "IBMCLOUD_API_KEY=fJwZftJG-TprJrcAoYeH",
            "other_key=bxh6S6xuHS_ZFAicvBGgVZaXArt5hoFkmwAgVAPz2C53",
        ),
    ),
    keyed(
        "cloudflare-api-token",
        "Cloudflare API token",
        r"cloudflare|cf_?api_?token",
        r"[A-Za-z0-9_\-]{40}",
        must_match=(
            "CLOUDFLARE_API_TOKEN=LrqKidphUNcWPcjTkyfyDH5p-o00x3gSTF3qgdJA",
            "cf_api_token: 7zRJJ8TVRD6zSD1v9QE_QQfgn8VfRKeDd3LbZQBq",
        ),
        must_not_match=(
            "CLOUDFLARE_API_TOKEN=q9hRHefx795mfHxpQZ25-VAl338UBc",
            "token=zjmBzEPlEnatx_X8GcfUIfKxZg2nqBBDvskXhAqW",
        ),
    ),
    keyed(
        "linode-token",
        "Linode / Akamai personal access token",
        r"linode",
        r"[a-f0-9]{64}",
        must_match=(
            "LINODE_TOKEN=72d60d6f80b712a8f24995dffd10a4d9e4760a1604bc84983e6b960fdf504e17",
            "linode_api_token: 2b3f5a18fa3fbe83b505deba37398801b95abb4a1f23aaa829011df7e0b36e7a",
        ),
        must_not_match=(
            "LINODE_TOKEN=57b6eb5676a9ffaa29fe843cea979bd9ee176290",
            "sha256: 501bed58ab39360627a24a2da999459ae1c884eae2d34523bf675b1010da1baa",
        ),
    ),
    keyed(
        "oracle-cloud-auth-token",
        "Oracle Cloud Infrastructure auth token",
        r"oci_?auth_?token|oracle_?auth_?token",
        r"[A-Za-z0-9(){}\[\]<>:;.+#_\-]{20}",
        must_match=(
            "OCI_AUTH_TOKEN=o78hNpi5WOjL7MURB2C7",
            "oracle_auth_token: UAMQzllxBbsaRC6szLMM",
        ),
        must_not_match=("OCI_AUTH_TOKEN=2pGDip9NjgWg", "auth_token=WNGFIs4CuoIV4Ii83DbR"),
    ),
)
