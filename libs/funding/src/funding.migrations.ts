import type { Migration } from '#libs/database';

export const fundingMigrations: Migration[] = [
  {
    id: 'funding/0001-process-facts',
    // The funding process's index of the store: rebuilt by replaying events, never the source of truth.
    sql: `
      CREATE TABLE funding_offerings (
        tenant text NOT NULL,
        offering_id text NOT NULL,
        school_year text NOT NULL,
        fee_ore bigint NOT NULL,
        PRIMARY KEY (tenant, offering_id)
      );
      CREATE TABLE funding_places (
        tenant text NOT NULL,
        place_id text NOT NULL,
        offering_id text NOT NULL,
        child_id text NOT NULL,
        birth_year integer NOT NULL,
        school_year text NOT NULL,
        fee_ore bigint,
        started_on text NOT NULL,
        effective_on text,
        notice_on text,
        after_deadline boolean,
        next_school_year text,
        next_term text,
        transferred_to text,
        PRIMARY KEY (tenant, place_id)
      );
      CREATE INDEX funding_places_child ON funding_places (tenant, child_id);
      CREATE TABLE funding_child_payers (
        tenant text NOT NULL,
        child_id text NOT NULL,
        payer_id text NOT NULL,
        position bigint NOT NULL,
        PRIMARY KEY (tenant, child_id)
      );
      CREATE INDEX funding_child_payers_payer ON funding_child_payers (tenant, payer_id);
      CREATE TABLE funding_waivers (
        tenant text NOT NULL,
        application_id text NOT NULL,
        household_id text NOT NULL,
        school_year text NOT NULL,
        pay_percent integer NOT NULL,
        status text NOT NULL CHECK (status IN ('granted', 'revoked', 'expired')),
        revoked_on text,
        ends_at timestamptz NOT NULL,
        PRIMARY KEY (tenant, application_id)
      );
      CREATE INDEX funding_waivers_household ON funding_waivers (tenant, household_id);
      CREATE INDEX funding_waivers_due ON funding_waivers (status, ends_at);
    `,
  },
  {
    id: 'funding/0002-low-income-reference',
    // Reference data, not derived from events: the share of children in persistent low income per district.
    sql: `
      CREATE TABLE funding_low_income_reference (
        tenant text NOT NULL,
        district text NOT NULL,
        share_percent numeric(5, 2) NOT NULL CHECK (share_percent >= 0 AND share_percent <= 100),
        source text NOT NULL,
        PRIMARY KEY (tenant, district)
      );
      INSERT INTO funding_low_income_reference (tenant, district, share_percent, source)
      SELECT 'trondheim', district, 7.5,
             'Estimate: Trondheim-wide share of children in persistent low income, 2016 (kulturskoleplan); no district figures'
        FROM unnest(ARRAY['Midtbyen', 'Østbyen', 'Lerkendal', 'Heimdal', 'Klæbu']) AS district;
    `,
  },
  {
    id: 'funding/0003-cancelled-lessons',
    sql: `
      CREATE TABLE funding_cancelled_lessons (
        tenant text NOT NULL,
        offering_id text NOT NULL,
        semester text NOT NULL,
        lessons integer NOT NULL,
        PRIMARY KEY (tenant, offering_id, semester)
      );
    `,
  },
  {
    id: 'funding/0004-application-payers',
    // The payer an application named (pseudonymous ids only), and the offers made on it: a place from an accepted
    // offer is billed to that payer unless the child already has one.
    sql: `
      CREATE TABLE funding_application_payers (
        tenant text NOT NULL,
        application_id text NOT NULL,
        payer_id text NOT NULL,
        source text NOT NULL CHECK (source IN ('applicant', 'named')),
        PRIMARY KEY (tenant, application_id)
      );
      CREATE TABLE funding_offer_payers (
        tenant text NOT NULL,
        offer_id text NOT NULL,
        application_id text NOT NULL,
        payer_id text NOT NULL,
        source text NOT NULL,
        PRIMARY KEY (tenant, offer_id)
      );
    `,
  },
  {
    id: 'funding/0005-offering-fee-changes',
    // An offering's price list: the fee from each semester's first day (OfferingFeeChanged), the latest recorded per day.
    sql: `
      CREATE TABLE funding_offering_fees (
        tenant text NOT NULL,
        offering_id text NOT NULL,
        effective_from text NOT NULL,
        fee_ore bigint NOT NULL,
        position bigint NOT NULL,
        PRIMARY KEY (tenant, offering_id, effective_from)
      );
    `,
  },
  {
    id: 'funding/0006-transfer-days',
    // A transfer's effective day on both places: a semester is billed for the place held when it began, once.
    sql: `
      ALTER TABLE funding_places ADD COLUMN transferred_out_on text, ADD COLUMN transferred_in_on text;
    `,
  },
];
