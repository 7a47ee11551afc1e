"""Online fee payment through the national payment platform (issue 20 (c)): orders, signed callbacks, reconciliation.

`gateway` talks to the platform, `message` signs and reads its messages, `services` applies what it confirms,
`reconciliation` compares its daily list with our orders. docs/integrations.md, "Thanh toán trực tuyến".
"""
