"""The demo's sample material, written for LeakTrace: a fictional company and its paperwork.

Harbor Lane Instruments is invented; so are its people, projects, keys and passwords. The keys
have the shape of real ones (so detectors fire) but grant nothing anywhere.
"""

from __future__ import annotations

BRIEFING_TITLE = "Project Kestrel - quarterly programme briefing"
BRIEFING = """\
HARBOR LANE INSTRUMENTS - CONFIDENTIAL
Project Kestrel - quarterly programme briefing
Prepared for the programme board, third quarter

1. Summary
The Kestrel sensor head passed its thermal qualification in August. Two of the five
vibration runs showed a resonance near 412 Hz that the mechanical team traced to the
mounting bracket. A stiffer bracket is on order from the Sheffield supplier and the
re-test is scheduled for the second week of October.

2. Customer position
The northern utility consortium has asked for a firm delivery date for the pilot units.
We propose to commit to forty units in February, with a penalty-free slip of four weeks.
Pricing stays at the level agreed in the letter of intent; do not discuss discounts
before the board has approved the revised cost model.

3. Risks
The single-source supply of the germanium window remains the main schedule risk. A
second source in Rotterdam has been qualified on paper but not yet on the line.
Staff turnover in firmware is the second risk: two of six engineers have resigned.

4. Decisions requested
The board is asked to approve the bracket redesign budget of 85,000 and the early
purchase of window stock for the first two hundred units.
"""

HR_NOTE = """\
Internal use only

Salary review 2026 - notes for line managers
The review budget is 3.1 per cent of payroll. Managers receive their allocation on
1 March and submit proposals by 20 March. Do not share individual figures with staff
before the letters go out.
"""

NEWSLETTER = """\
Harbor Lane Instruments community newsletter

Our open day on 14 September welcomed more than three hundred visitors. Thank you to
the volunteers who ran the tours, and to the local school that brought its robotics
club. The next open day will be announced in spring.
"""

DEPLOY_NOTES = """\
# deployment notes for the telemetry collector (staging)
collector:
  endpoint: https://telemetry.harborlane.example/ingest
  database: postgresql://telemetry:Xq7!vR2pLm94s@db-staging.harborlane.example:5432/telemetry
aws:
  access_key_id: AKIA4HLIKESTREL7XZQ2
  region: eu-west-2
"""

FORWARD_NOTE = """\
Hi Sam,

as discussed, the board pack is attached - the numbers in section 4 are the ones we
will use with the consortium. Please keep it to yourself until Friday.

Best,
Alex
"""

DEPLOY_KEY = """\
-----BEGIN OPENSSH PRIVATE KEY-----
b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
QyNTUxOQAAACBkZW1vLWtleS1mb3ItbGVha3RyYWNlLW9ubHktbm90LXJlYWwAAAAAAAAA
AAAAAAtzc2gtZWQyNTUxOQAAACBkZW1vLWtleS1mb3ItbGVha3RyYWNlLW9ubHktbm90LX
-----END OPENSSH PRIVATE KEY-----
"""

BLOG_DRAFT = """\
# What I learned this quarter (draft - do not publish yet)

Lots of travel, two conferences and one very long programme board. A colleague summed it
up better than I could, so here it is:

> the kestrel sensor head passed its thermal qualification in august. two of the five
> vibration runs showed a resonance near 412 hz that the mechanical team traced to the
> mounting bracket - a stiffer bracket is on order from the supplier in sheffield and
> the re-test is scheduled for the second week of october.

More soon, once the pilot units ship.
"""
