-- A change a CRM made names the CRM and its record.
alter table contact_history add column crm_system text, add column crm_record_id text;
