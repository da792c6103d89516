-- The sources and keys behind an alert (alerts/triggers/evidence.py), e.g. "litellm:
-- gpt-4o, gpt-4o-2024-08-06 (confirms); genai-prices: gpt-4o (agrees)". NULL for rows
-- recorded before this migration, for source failures, and for alerts not read from the
-- reconciled price series; a NULL renders without the "seen in" line.

alter table alerts add column evidence varchar;
