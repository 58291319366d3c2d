//! The portable schema, kept by hand: only types both backends share.

diesel::table! {
    persons (id) {
        id -> Text,
        national_code -> Text,
        first_name -> Text,
        last_name -> Text,
        mobile -> Nullable<Text>,
        email -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        birth_date -> Nullable<Date>,
        search_name -> Text,
    }
}

diesel::table! {
    accounts (person_id) {
        person_id -> Text,
        password_hash -> Text,
        must_change_password -> Bool,
        password_changed_at -> Timestamp,
        disabled -> Bool,
        created_at -> Timestamp,
        disabled_at -> Nullable<Timestamp>,
        disabled_reason -> Nullable<Text>,
    }
}

diesel::table! {
    role_grants (id) {
        id -> Text,
        person_id -> Text,
        role -> Text,
        scope_type -> Nullable<Text>,
        scope_id -> Nullable<Text>,
        granted_at -> Timestamp,
        granted_by -> Nullable<Text>,
    }
}

diesel::table! {
    captchas (id) {
        id -> Text,
        answer_hash -> Text,
        expires_at -> Timestamp,
        created_at -> Timestamp,
    }
}

diesel::table! {
    rate_windows (key) {
        key -> Text,
        window_started_at -> Timestamp,
        hits -> Integer,
    }
}

diesel::table! {
    throttle_counters (key) {
        key -> Text,
        failures -> Integer,
        blocked_until -> Nullable<Timestamp>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    sessions (id) {
        id -> Text,
        person_id -> Text,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        revoked_reason -> Nullable<Text>,
        ip -> Nullable<Text>,
        user_agent -> Nullable<Text>,
        last_used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> Text,
        session_id -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    audit_log (seq) {
        seq -> BigInt,
        at -> Timestamp,
        actor_id -> Nullable<Text>,
        action -> Text,
        object_type -> Text,
        object_id -> Nullable<Text>,
        before_state -> Nullable<Text>,
        after_state -> Nullable<Text>,
        ip -> Nullable<Text>,
        prev_hash -> Text,
        hash -> Text,
        scope -> Nullable<Text>,
    }
}

diesel::table! {
    audit_head (id) {
        id -> Integer,
        last_seq -> BigInt,
        last_hash -> Text,
    }
}

diesel::table! {
    outbox_messages (id) {
        id -> Text,
        channel -> Text,
        recipient -> Text,
        subject -> Nullable<Text>,
        body -> Text,
        purpose -> Text,
        template -> Nullable<Text>,
        token -> Nullable<Text>,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        lease_owner -> Nullable<Text>,
        lease_expires_at -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        provider_message_id -> Nullable<Text>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
        delivered_at -> Nullable<Timestamp>,
        urgent -> Bool,
    }
}

diesel::table! {
    one_time_codes (id) {
        id -> Text,
        person_id -> Text,
        purpose -> Text,
        code_hash -> Text,
        attempts -> Integer,
        expires_at -> Timestamp,
        consumed_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    inbound_sms (message_id) {
        message_id -> Text,
        sender -> Text,
        receiver -> Text,
        text -> Text,
        outcome -> Text,
        received_at -> Timestamp,
    }
}

diesel::table! {
    sms_recovery_requests (id) {
        id -> Text,
        code -> Text,
        person_id -> Nullable<Text>,
        status -> Text,
        expires_at -> Timestamp,
        created_at -> Timestamp,
        completed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    files (id) {
        id -> Text,
        purpose -> Text,
        owner_id -> Text,
        content_type -> Text,
        size_bytes -> BigInt,
        sha256 -> Text,
        storage_key -> Text,
        original_name -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    invoices (id) {
        id -> Text,
        payer_id -> Text,
        purpose -> Text,
        reference -> Nullable<Text>,
        description -> Text,
        amount_rials -> BigInt,
        status -> Text,
        authority -> Nullable<Text>,
        ref_id -> Nullable<Text>,
        created_at -> Timestamp,
        payment_started_at -> Nullable<Timestamp>,
        paid_at -> Nullable<Timestamp>,
        handled_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    sandbox_payments (authority) {
        authority -> Text,
        amount_rials -> BigInt,
        callback_url -> Text,
        description -> Text,
        status -> Text,
        ref_id -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    associations (id) {
        id -> Text,
        code -> Text,
        name -> Text,
        email -> Nullable<Text>,
        phone -> Nullable<Text>,
        website -> Nullable<Text>,
        statute_date -> Nullable<Date>,
        logo_file_id -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    association_qualifications (id) {
        id -> Text,
        association_id -> Text,
        field -> Text,
        degree_level -> Text,
    }
}

diesel::table! {
    memberships (id) {
        id -> Text,
        association_id -> Text,
        person_id -> Text,
        status -> Text,
        field -> Text,
        degree_level -> Text,
        source -> Text,
        reason -> Nullable<Text>,
        requested_at -> Timestamp,
        decided_at -> Nullable<Timestamp>,
        decided_by -> Nullable<Text>,
        /// The person's `search_name`, kept equal by the database (migration 15).
        search_name -> Text,
        ended_at -> Nullable<Timestamp>,
        ended_by -> Nullable<Text>,
    }
}

diesel::table! {
    membership_events (id) {
        id -> Text,
        membership_id -> Text,
        status -> Text,
        reason -> Nullable<Text>,
        actor_id -> Nullable<Text>,
        at -> Timestamp,
    }
}

diesel::table! {
    board_positions (id) {
        id -> Text,
        association_id -> Text,
        person_id -> Text,
        position -> Text,
        start_date -> Date,
        end_date -> Nullable<Date>,
        closed_on -> Nullable<Date>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    news (id) {
        id -> Text,
        association_id -> Text,
        title -> Text,
        body -> Text,
        image_file_id -> Nullable<Text>,
        published_at -> Nullable<Timestamp>,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    messages (id) {
        id -> Text,
        sender_kind -> Text,
        sender_id -> Text,
        sent_by -> Text,
        subject -> Text,
        body -> Text,
        audience -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    message_recipients (id) {
        id -> Text,
        message_id -> Text,
        mailbox_kind -> Text,
        mailbox_id -> Text,
        read_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    message_attachments (message_id, file_id) {
        message_id -> Text,
        file_id -> Text,
    }
}

diesel::table! {
    elections (id) {
        id -> Text,
        association_id -> Text,
        title -> Text,
        description -> Text,
        support_contact -> Nullable<Text>,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        status -> Text,
        roll_size -> Nullable<BigInt>,
        reminder_sent_at -> Nullable<Timestamp>,
        results -> Nullable<Text>,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        trustee_threshold -> Integer,
        public_key -> Nullable<Text>,
        aggregate -> Nullable<Text>,
        counts -> Nullable<Text>,
    }
}

diesel::table! {
    election_trustees (election_id, trustee) {
        election_id -> Text,
        trustee -> Integer,
        person_id -> Text,
        transport -> Nullable<Text>,
        dealing -> Nullable<Text>,
        verification_key -> Nullable<Text>,
        partial_decryption -> Nullable<Text>,
    }
}

diesel::table! {
    contests (id) {
        id -> Text,
        election_id -> Text,
        title -> Text,
        seats -> Integer,
        alternates -> Integer,
        max_selections -> Integer,
        sort_order -> Integer,
    }
}

diesel::table! {
    candidates (id) {
        id -> Text,
        election_id -> Text,
        contest_id -> Text,
        person_id -> Text,
        election_code -> Text,
        university -> Nullable<Text>,
        field -> Nullable<Text>,
        academic_rank -> Nullable<Text>,
        photo_file_id -> Nullable<Text>,
        resume_file_id -> Nullable<Text>,
        programme_file_id -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    voter_roll (election_id, person_id) {
        election_id -> Text,
        person_id -> Text,
    }
}

diesel::table! {
    participations (election_id, person_id) {
        election_id -> Text,
        person_id -> Text,
    }
}

diesel::table! {
    ballots (id) {
        id -> Text,
        election_id -> Text,
        tracking_code -> Text,
        content -> Text,
    }
}

diesel::table! {
    vote_codes (id) {
        id -> Text,
        election_id -> Text,
        person_id -> Text,
        channel -> Text,
        code_hash -> Text,
        attempts -> Integer,
        outbox_id -> Nullable<Text>,
        confirmed_at -> Nullable<Timestamp>,
        email_fallback_at -> Nullable<Timestamp>,
        expires_at -> Timestamp,
        created_at -> Timestamp,
    }
}

diesel::table! {
    provinces (id) {
        id -> Text,
        name_fa -> Text,
        name_en -> Text,
        university -> Text,
        sort_order -> Integer,
    }
}

diesel::table! {
    cities (id) {
        id -> Text,
        province_id -> Text,
        name_fa -> Text,
        county_id -> Nullable<Text>,
    }
}

diesel::table! {
    counties (id) {
        id -> Text,
        province_id -> Text,
        name_fa -> Text,
    }
}

diesel::table! {
    officer_fields (field, degree_level) {
        field -> Text,
        degree_level -> Text,
    }
}

diesel::table! {
    officers (person_id) {
        person_id -> Text,
        father_name -> Text,
        gender -> Text,
        id_card_number -> Text,
        phone -> Nullable<Text>,
        address -> Text,
        province_id -> Text,
        city_id -> Text,
        field -> Text,
        degree_level -> Text,
        documents -> Text,
        qualified_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        standing -> Text,
    }
}

diesel::table! {
    officer_standing_events (id) {
        id -> Text,
        officer_id -> Text,
        standing -> Text,
        reason -> Text,
        actor_id -> Nullable<Text>,
        at -> Timestamp,
    }
}

diesel::table! {
    officer_requests (id) {
        id -> Text,
        officer_id -> Text,
        kind -> Text,
        province_id -> Text,
        status -> Text,
        reviewer_id -> Nullable<Text>,
        deficiencies -> Nullable<Text>,
        reason -> Nullable<Text>,
        changes -> Nullable<Text>,
        previous -> Nullable<Text>,
        documents -> Text,
        fee_rials -> Nullable<BigInt>,
        invoice_id -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        decided_at -> Nullable<Timestamp>,
        completed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    officer_request_events (id) {
        id -> Text,
        request_id -> Text,
        actor_id -> Nullable<Text>,
        from_status -> Nullable<Text>,
        to_status -> Text,
        note -> Nullable<Text>,
        at -> Timestamp,
    }
}

diesel::table! {
    distributors (id) {
        id -> Text,
        name -> Text,
        kind -> Text,
        manager_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    branches (id) {
        id -> Text,
        distributor_id -> Text,
        name -> Text,
        is_central -> Bool,
        province_id -> Text,
        city_id -> Text,
        address -> Text,
        officer_id -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    cooperations (id) {
        id -> Text,
        branch_id -> Text,
        distributor_id -> Text,
        officer_id -> Text,
        province_id -> Text,
        status -> Text,
        reviewer_id -> Nullable<Text>,
        reason -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        ended_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(accounts -> persons (person_id));
diesel::joinable!(engineers -> persons (person_id));
diesel::joinable!(engineer_renewals -> engineers (engineer_id));
diesel::joinable!(role_grants -> persons (person_id));
diesel::joinable!(sessions -> persons (person_id));
diesel::joinable!(refresh_tokens -> sessions (session_id));
diesel::joinable!(one_time_codes -> persons (person_id));
diesel::joinable!(memberships -> persons (person_id));
diesel::joinable!(membership_events -> memberships (membership_id));
diesel::joinable!(board_positions -> persons (person_id));
diesel::joinable!(memberships -> associations (association_id));
diesel::joinable!(association_qualifications -> associations (association_id));
diesel::joinable!(news -> associations (association_id));
diesel::joinable!(elections -> associations (association_id));
diesel::joinable!(contests -> elections (election_id));
diesel::joinable!(candidates -> contests (contest_id));
diesel::joinable!(candidates -> persons (person_id));
diesel::joinable!(election_trustees -> persons (person_id));
diesel::joinable!(election_trustees -> elections (election_id));
diesel::joinable!(officers -> persons (person_id));
diesel::joinable!(officer_requests -> officers (officer_id));
diesel::joinable!(cities -> provinces (province_id));
diesel::joinable!(cities -> counties (county_id));
diesel::joinable!(counties -> provinces (province_id));
diesel::joinable!(branches -> distributors (distributor_id));
diesel::joinable!(cooperations -> branches (branch_id));
diesel::joinable!(message_recipients -> messages (message_id));
diesel::joinable!(message_attachments -> messages (message_id));
diesel::joinable!(message_attachments -> files (file_id));

diesel::table! {
    engineering_orgs (province_id) {
        province_id -> Text,
        name -> Text,
        renewal_window_days -> Integer,
        annual_fee_rials -> BigInt,
        renewal_years -> Integer,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    engineers (person_id) {
        person_id -> Text,
        province_id -> Text,
        membership_number -> Text,
        expires_on -> Date,
        father_name -> Nullable<Text>,
        gender -> Nullable<Text>,
        id_card_number -> Nullable<Text>,
        birth_place -> Nullable<Text>,
        birth_province_id -> Nullable<Text>,
        licence_number -> Nullable<Text>,
        licence_grade -> Nullable<Text>,
        licence_expires_on -> Nullable<Date>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        birth_province_confirmed_by -> Nullable<Text>,
        birth_province_confirmed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    engineer_degrees (id) {
        id -> Text,
        engineer_id -> Text,
        level -> Text,
        discipline -> Text,
        orientation -> Text,
        university -> Text,
        graduated_on -> Date,
        inquiry_code -> Nullable<Text>,
        letter_file_id -> Nullable<Text>,
        image_file_id -> Nullable<Text>,
        verified -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    engineer_contacts (id) {
        id -> Text,
        engineer_id -> Text,
        kind -> Text,
        value -> Text,
        active -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    engineer_addresses (id) {
        id -> Text,
        engineer_id -> Text,
        kind -> Text,
        province_id -> Text,
        city -> Text,
        address -> Text,
        postal_code -> Nullable<Text>,
        correspondence -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    engineer_documents (id) {
        id -> Text,
        engineer_id -> Text,
        kind -> Text,
        title -> Text,
        description -> Nullable<Text>,
        file_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    engineer_relatives (id) {
        id -> Text,
        engineer_id -> Text,
        relation -> Text,
        first_name -> Text,
        last_name -> Text,
        national_code -> Text,
        birth_date -> Date,
        created_at -> Timestamp,
    }
}

diesel::table! {
    engineer_renewals (id) {
        id -> Text,
        engineer_id -> Text,
        province_id -> Text,
        status -> Text,
        expires_before -> Date,
        years -> Nullable<Integer>,
        annual_fee_rials -> Nullable<BigInt>,
        debt_rials -> Nullable<BigInt>,
        amount_rials -> Nullable<BigInt>,
        invoice_id -> Nullable<Text>,
        assessed_by -> Nullable<Text>,
        expires_after -> Nullable<Date>,
        created_at -> Timestamp,
        assessed_at -> Nullable<Timestamp>,
        completed_at -> Nullable<Timestamp>,
        reason -> Nullable<Text>,
    }
}

diesel::table! {
    sso_logins (state) {
        state -> Text,
        nonce -> Text,
        code_verifier -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    persons,
    accounts,
    role_grants,
    captchas,
    throttle_counters,
    rate_windows,
    sessions,
    refresh_tokens,
    audit_log,
    audit_head,
    outbox_messages,
    one_time_codes,
    inbound_sms,
    sms_recovery_requests,
    files,
    invoices,
    sandbox_payments,
    associations,
    association_qualifications,
    memberships,
    membership_events,
    officer_standing_events,
    board_positions,
    news,
    messages,
    message_recipients,
    message_attachments,
    elections,
    contests,
    candidates,
    voter_roll,
    participations,
    ballots,
    election_trustees,
    provinces,
    cities,
    counties,
    officer_fields,
    officers,
    officer_requests,
    officer_request_events,
    distributors,
    branches,
    cooperations,
    vote_codes,
    engineering_orgs,
    engineers,
    engineer_degrees,
    engineer_contacts,
    engineer_addresses,
    engineer_documents,
    engineer_relatives,
    engineer_renewals,
    sso_logins,
    api_keys,
    webhook_subscriptions,
);

diesel::table! {
    api_keys (id) {
        id -> Text,
        owner_kind -> Text,
        province_id -> Nullable<Text>,
        name -> Text,
        scopes -> Text,
        secret_hash -> Text,
        prefix -> Text,
        rate_per_minute -> Integer,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        created_by -> Text,
        created_at -> Timestamp,
        rotated_at -> Nullable<Timestamp>,
        last_used_at -> Nullable<Timestamp>,
        window_started_at -> Timestamp,
        window_uses -> Integer,
    }
}

diesel::table! {
    webhook_subscriptions (id) {
        id -> Text,
        owner_kind -> Text,
        province_id -> Nullable<Text>,
        url -> Text,
        events -> Text,
        secret -> Text,
        active -> Bool,
        created_by -> Text,
        created_at -> Timestamp,
    }
}
