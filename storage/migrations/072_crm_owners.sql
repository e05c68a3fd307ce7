-- Every contact has an owner. Contacts HubSpot or Zoho created before owners were read from the CRM had none: they
-- go to the built-in admin (the CRM's owner of each is not known to the database; a later sync leaves owners as
-- they are).
update contacts set owner_id = (select id from users where builtin) where owner_id is null and source = 'crm';
