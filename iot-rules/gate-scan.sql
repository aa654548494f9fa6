SELECT *, topic(2) AS gateId FROM 'gates/+/scan'
