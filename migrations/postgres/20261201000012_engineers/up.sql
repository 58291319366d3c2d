-- Building engineers (EN-01..08): each province's engineering organisation with its renewal
-- rules, the engineers it holds records of (imported, then completed by the engineers), their
-- records tab by tab, membership renewals, and the pending single sign-on logins (ID-09).
CREATE TABLE engineering_orgs (
    province_id TEXT PRIMARY KEY REFERENCES provinces(id),
    name TEXT NOT NULL,
    -- Renewal opens this many days before the membership expires (EN-02).
    renewal_window_days INTEGER NOT NULL,
    annual_fee_rials BIGINT NOT NULL,
    -- Years one renewal buys.
    renewal_years INTEGER NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE engineers (
    person_id TEXT PRIMARY KEY REFERENCES persons(id),
    -- The membership province (its organisation).
    province_id TEXT NOT NULL REFERENCES engineering_orgs(province_id),
    membership_number TEXT NOT NULL,
    expires_on DATE NOT NULL,
    father_name TEXT,
    gender TEXT,
    id_card_number TEXT,
    birth_place TEXT,
    -- Entered, or from the import; residence proof is needed when it differs (EN-07).
    birth_province_id TEXT REFERENCES provinces(id),
    -- Licence information: read-only to the engineer (EN-03).
    licence_number TEXT,
    licence_grade TEXT,
    licence_expires_on DATE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX engineers_membership ON engineers(province_id, membership_number);

CREATE TABLE engineer_degrees (
    id TEXT PRIMARY KEY,
    engineer_id TEXT NOT NULL REFERENCES engineers(person_id),
    -- associate | bachelor_noncontinuous | bachelor | master | doctorate
    level TEXT NOT NULL,
    -- civil | architecture | mechanical | electrical | surveying | urban_planning | traffic
    discipline TEXT NOT NULL,
    orientation TEXT NOT NULL,
    university TEXT NOT NULL,
    graduated_on DATE NOT NULL,
    inquiry_code TEXT,
    -- The verification letter, when the degree has no inquiry code.
    letter_file_id TEXT REFERENCES files(id),
    -- Required for degrees the engineer enters; imported verified degrees may lack it.
    image_file_id TEXT REFERENCES files(id),
    -- Verified by the organisation: read-only to the engineer.
    verified BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX engineer_degrees_engineer ON engineer_degrees(engineer_id);

CREATE TABLE engineer_contacts (
    id TEXT PRIMARY KEY,
    engineer_id TEXT NOT NULL REFERENCES engineers(person_id),
    -- landline | mobile | email | work_landline
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    active BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX engineer_contacts_engineer ON engineer_contacts(engineer_id);

CREATE TABLE engineer_addresses (
    id TEXT PRIMARY KEY,
    engineer_id TEXT NOT NULL REFERENCES engineers(person_id),
    -- residence | work | legal_domicile
    kind TEXT NOT NULL,
    province_id TEXT NOT NULL REFERENCES provinces(id),
    city TEXT NOT NULL,
    address TEXT NOT NULL,
    postal_code TEXT,
    -- All letters go to this one (EN-05).
    correspondence BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX engineer_addresses_engineer ON engineer_addresses(engineer_id);
-- At most one correspondence address per engineer, whatever the code does.
CREATE UNIQUE INDEX engineer_addresses_one_correspondence ON engineer_addresses(engineer_id) WHERE correspondence;

CREATE TABLE engineer_documents (
    id TEXT PRIMARY KEY,
    engineer_id TEXT NOT NULL REFERENCES engineers(person_id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT,
    file_id TEXT NOT NULL REFERENCES files(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX engineer_documents_engineer ON engineer_documents(engineer_id);

CREATE TABLE engineer_relatives (
    id TEXT PRIMARY KEY,
    engineer_id TEXT NOT NULL REFERENCES engineers(person_id),
    -- spouse | child
    relation TEXT NOT NULL,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    national_code TEXT NOT NULL,
    birth_date DATE NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX engineer_relatives_engineer ON engineer_relatives(engineer_id);

CREATE TABLE engineer_renewals (
    id TEXT PRIMARY KEY,
    engineer_id TEXT NOT NULL REFERENCES engineers(person_id),
    province_id TEXT NOT NULL REFERENCES engineering_orgs(province_id),
    -- under_review | awaiting_payment | completed
    status TEXT NOT NULL,
    expires_before DATE NOT NULL,
    -- Set by the expert's assessment, from the province's rules at that moment.
    years INTEGER,
    annual_fee_rials BIGINT,
    debt_rials BIGINT,
    amount_rials BIGINT,
    invoice_id TEXT REFERENCES invoices(id),
    assessed_by TEXT REFERENCES persons(id),
    expires_after DATE,
    created_at TIMESTAMP NOT NULL,
    assessed_at TIMESTAMP,
    completed_at TIMESTAMP
);
CREATE INDEX engineer_renewals_queue ON engineer_renewals(province_id, status, created_at);
-- One open renewal per engineer.
CREATE UNIQUE INDEX engineer_renewals_open ON engineer_renewals(engineer_id)
    WHERE status IN ('under_review', 'awaiting_payment');

-- Single sign-on logins started and not yet finished: single use, short lived.
CREATE TABLE sso_logins (
    state TEXT PRIMARY KEY,
    nonce TEXT NOT NULL,
    code_verifier TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);

-- Every province has its organisation; its admins set the window, the fee and the years.
INSERT INTO engineering_orgs (province_id, name, renewal_window_days, annual_fee_rials, renewal_years, updated_at)
SELECT id, 'سازمان نظام مهندسی ساختمان استان ' || name_fa, 60, 12000000, 1, CURRENT_TIMESTAMP FROM provinces;
