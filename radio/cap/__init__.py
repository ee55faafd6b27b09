"""Emergency alerts in the Common Alerting Protocol (OASIS CAP 1.2): alerts in from sources
(POST /api/v1/cap, feeds pulled periodically), bulletins out as CAP in an Atom feed per area."""
