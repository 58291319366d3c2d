-- Technical officers (TO-01..07): reference data (provinces with their universities of medical
-- sciences, cities, the allowed fields and degrees), officers, and their requests with history.
CREATE TABLE provinces (
    id TEXT PRIMARY KEY,
    name_fa TEXT NOT NULL,
    name_en TEXT NOT NULL,
    -- The university of medical sciences that reviews the province's officers.
    university TEXT NOT NULL,
    sort_order INTEGER NOT NULL
);
CREATE TABLE cities (
    id TEXT PRIMARY KEY,
    province_id TEXT NOT NULL REFERENCES provinces(id),
    name_fa TEXT NOT NULL
);
CREATE INDEX cities_province ON cities(province_id);
-- Fields and degree levels that qualify for registration (TO-01); the directorate edits them.
CREATE TABLE officer_fields (
    field TEXT NOT NULL,
    degree_level TEXT NOT NULL,
    PRIMARY KEY (field, degree_level)
);
CREATE TABLE officers (
    person_id TEXT PRIMARY KEY REFERENCES persons(id),
    father_name TEXT NOT NULL,
    gender TEXT NOT NULL,
    id_card_number TEXT NOT NULL,
    phone TEXT,
    address TEXT NOT NULL,
    province_id TEXT NOT NULL REFERENCES provinces(id),
    city_id TEXT NOT NULL REFERENCES cities(id),
    field TEXT NOT NULL,
    degree_level TEXT NOT NULL,
    -- JSON array of file ids (purpose officer_document).
    documents TEXT NOT NULL,
    qualified_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE TABLE officer_requests (
    id TEXT PRIMARY KEY,
    officer_id TEXT NOT NULL REFERENCES officers(person_id),
    -- qualification | amendment
    kind TEXT NOT NULL,
    -- Routed to this province's university.
    province_id TEXT NOT NULL REFERENCES provinces(id),
    -- submitted | deficient | resubmitted | awaiting_payment | completed | rejected
    status TEXT NOT NULL,
    -- The reviewer who took it up; fixes return to them (TO-03).
    reviewer_id TEXT REFERENCES persons(id),
    -- JSON array of the deficiency items, while deficient.
    deficiencies TEXT,
    reason TEXT,
    -- Amendments: the proposed data and the data it replaces (JSON).
    changes TEXT,
    previous TEXT,
    documents TEXT NOT NULL,
    fee_rials BIGINT,
    invoice_id TEXT REFERENCES invoices(id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    decided_at TIMESTAMP,
    completed_at TIMESTAMP
);
CREATE INDEX officer_requests_officer ON officer_requests(officer_id, created_at);
CREATE INDEX officer_requests_queue ON officer_requests(province_id, status, updated_at);
CREATE TABLE officer_request_events (
    id TEXT PRIMARY KEY,
    request_id TEXT NOT NULL REFERENCES officer_requests(id),
    actor_id TEXT REFERENCES persons(id),
    from_status TEXT,
    to_status TEXT NOT NULL,
    note TEXT,
    at TIMESTAMP NOT NULL
);
CREATE INDEX officer_request_events_request ON officer_request_events(request_id, at);

INSERT INTO provinces (id, name_fa, name_en, university, sort_order) VALUES ('east-azerbaijan', 'آذربایجان شرقی', 'East Azerbaijan', 'دانشگاه علوم پزشکی تبریز', 0);
INSERT INTO provinces (id, name_fa, name_en, university, sort_order) VALUES ('west-azerbaijan', 'آذربایجان غربی', 'West Azerbaijan', 'دانشگاه علوم پزشکی ارومیه', 1);
INSERT INTO provinces (id, name_fa, name_en, university, sort_order) VALUES ('ardabil', 'اردبیل', 'Ardabil', 'دانشگاه علوم پزشکی اردبیل', 2);
INSERT INTO provinces (id, name_fa, name_en, university, sort_order) VALUES ('isfahan', 'اصفهان', 'Isfahan', 'دانشگاه علوم پزشکی اصفهان', 3);
INSERT INTO provinces (id, name_fa, name_en, university, sort_order) VALUES ('alborz', 'البرز', 'Alborz', 'دانشگاه علوم پزشکی البرز', 4);
INSERT INTO provinces (id, name_fa, name_en, university, sort_order) VALUES ('ilam', 'ایلام', 'Ilam', 'دانشگاه علوم پزشکی ایلام', 5);
INSERT INTO provinces (id, name_fa, name_en, university, sort_order) VALUES ('bushehr', 'بوشهر', 'Bushehr', 'دانشگاه علوم پزشکی بوشهر', 6);
INSERT INTO provinces (id, name_fa, name_en, university, sort_order) VALUES ('tehran', 'تهران', 'Tehran', 'دانشگاه علوم پزشکی تهران', 7);
INSERT INTO provinces (id, name_fa, name_en, university, sort_order) VALUES ('chaharmahal-bakhtiari', 'چهارمحال و بختیاری', 'Chaharmahal and Bakhtiari', 'دانشگاه علوم پزشکی شهرکرد', 8);
INSERT INTO provinces (id, name_fa, name_en, university, sort_order) VALUES ('south-khorasan', 'خراسان جنوبی', 'South Khorasan', 'دانشگاه علوم پزشکی بیرجند', 9);
INSERT INTO provinces (id, name_fa, name_en, university, sort_order) VALUES ('razavi-khorasan', 'خراسان رضوی', 'Razavi Khorasan', 'دانشگاه علوم پزشکی مشهد', 10);
INSERT INTO provinces (id, name_fa, name_en, university, sort_order) VALUES ('north-khorasan', 'خراسان شمالی', 'North Khorasan', 'دانشگاه علوم پزشکی خراسان شمالی', 11);
INSERT INTO provinces (id, name_fa, name_en, university, sort_order) VALUES ('khuzestan', 'خوزستان', 'Khuzestan', 'دانشگاه علوم پزشکی جندی‌شاپور اهواز', 12);
INSERT INTO provinces (id, name_fa, name_en, university, sort_order) VALUES ('zanjan', 'زنجان', 'Zanjan', 'دانشگاه علوم پزشکی زنجان', 13);
INSERT INTO provinces (id, name_fa, name_en, university, sort_order) VALUES ('semnan', 'سمنان', 'Semnan', 'دانشگاه علوم پزشکی سمنان', 14);
INSERT INTO provinces (id, name_fa, name_en, university, sort_order) VALUES ('sistan-baluchestan', 'سیستان و بلوچستان', 'Sistan and Baluchestan', 'دانشگاه علوم پزشکی زاهدان', 15);
INSERT INTO provinces (id, name_fa, name_en, university, sort_order) VALUES ('fars', 'فارس', 'Fars', 'دانشگاه علوم پزشکی شیراز', 16);
INSERT INTO provinces (id, name_fa, name_en, university, sort_order) VALUES ('qazvin', 'قزوین', 'Qazvin', 'دانشگاه علوم پزشکی قزوین', 17);
INSERT INTO provinces (id, name_fa, name_en, university, sort_order) VALUES ('qom', 'قم', 'Qom', 'دانشگاه علوم پزشکی قم', 18);
INSERT INTO provinces (id, name_fa, name_en, university, sort_order) VALUES ('kurdistan', 'کردستان', 'Kurdistan', 'دانشگاه علوم پزشکی کردستان', 19);
INSERT INTO provinces (id, name_fa, name_en, university, sort_order) VALUES ('kerman', 'کرمان', 'Kerman', 'دانشگاه علوم پزشکی کرمان', 20);
INSERT INTO provinces (id, name_fa, name_en, university, sort_order) VALUES ('kermanshah', 'کرمانشاه', 'Kermanshah', 'دانشگاه علوم پزشکی کرمانشاه', 21);
INSERT INTO provinces (id, name_fa, name_en, university, sort_order) VALUES ('kohgiluyeh-boyer-ahmad', 'کهگیلویه و بویراحمد', 'Kohgiluyeh and Boyer-Ahmad', 'دانشگاه علوم پزشکی یاسوج', 22);
INSERT INTO provinces (id, name_fa, name_en, university, sort_order) VALUES ('golestan', 'گلستان', 'Golestan', 'دانشگاه علوم پزشکی گلستان', 23);
INSERT INTO provinces (id, name_fa, name_en, university, sort_order) VALUES ('gilan', 'گیلان', 'Gilan', 'دانشگاه علوم پزشکی گیلان', 24);
INSERT INTO provinces (id, name_fa, name_en, university, sort_order) VALUES ('lorestan', 'لرستان', 'Lorestan', 'دانشگاه علوم پزشکی لرستان', 25);
INSERT INTO provinces (id, name_fa, name_en, university, sort_order) VALUES ('mazandaran', 'مازندران', 'Mazandaran', 'دانشگاه علوم پزشکی مازندران', 26);
INSERT INTO provinces (id, name_fa, name_en, university, sort_order) VALUES ('markazi', 'مرکزی', 'Markazi', 'دانشگاه علوم پزشکی اراک', 27);
INSERT INTO provinces (id, name_fa, name_en, university, sort_order) VALUES ('hormozgan', 'هرمزگان', 'Hormozgan', 'دانشگاه علوم پزشکی هرمزگان', 28);
INSERT INTO provinces (id, name_fa, name_en, university, sort_order) VALUES ('hamadan', 'همدان', 'Hamadan', 'دانشگاه علوم پزشکی همدان', 29);
INSERT INTO provinces (id, name_fa, name_en, university, sort_order) VALUES ('yazd', 'یزد', 'Yazd', 'دانشگاه علوم پزشکی شهید صدوقی یزد', 30);
INSERT INTO cities (id, province_id, name_fa) VALUES ('east-azerbaijan-1', 'east-azerbaijan', 'تبریز');
INSERT INTO cities (id, province_id, name_fa) VALUES ('east-azerbaijan-2', 'east-azerbaijan', 'مراغه');
INSERT INTO cities (id, province_id, name_fa) VALUES ('east-azerbaijan-3', 'east-azerbaijan', 'مرند');
INSERT INTO cities (id, province_id, name_fa) VALUES ('west-azerbaijan-1', 'west-azerbaijan', 'ارومیه');
INSERT INTO cities (id, province_id, name_fa) VALUES ('west-azerbaijan-2', 'west-azerbaijan', 'خوی');
INSERT INTO cities (id, province_id, name_fa) VALUES ('west-azerbaijan-3', 'west-azerbaijan', 'مهاباد');
INSERT INTO cities (id, province_id, name_fa) VALUES ('ardabil-1', 'ardabil', 'اردبیل');
INSERT INTO cities (id, province_id, name_fa) VALUES ('ardabil-2', 'ardabil', 'مشگین‌شهر');
INSERT INTO cities (id, province_id, name_fa) VALUES ('ardabil-3', 'ardabil', 'پارس‌آباد');
INSERT INTO cities (id, province_id, name_fa) VALUES ('isfahan-1', 'isfahan', 'اصفهان');
INSERT INTO cities (id, province_id, name_fa) VALUES ('isfahan-2', 'isfahan', 'کاشان');
INSERT INTO cities (id, province_id, name_fa) VALUES ('isfahan-3', 'isfahan', 'نجف‌آباد');
INSERT INTO cities (id, province_id, name_fa) VALUES ('alborz-1', 'alborz', 'کرج');
INSERT INTO cities (id, province_id, name_fa) VALUES ('alborz-2', 'alborz', 'فردیس');
INSERT INTO cities (id, province_id, name_fa) VALUES ('alborz-3', 'alborz', 'نظرآباد');
INSERT INTO cities (id, province_id, name_fa) VALUES ('ilam-1', 'ilam', 'ایلام');
INSERT INTO cities (id, province_id, name_fa) VALUES ('ilam-2', 'ilam', 'دهلران');
INSERT INTO cities (id, province_id, name_fa) VALUES ('ilam-3', 'ilam', 'ایوان');
INSERT INTO cities (id, province_id, name_fa) VALUES ('bushehr-1', 'bushehr', 'بوشهر');
INSERT INTO cities (id, province_id, name_fa) VALUES ('bushehr-2', 'bushehr', 'برازجان');
INSERT INTO cities (id, province_id, name_fa) VALUES ('bushehr-3', 'bushehr', 'گناوه');
INSERT INTO cities (id, province_id, name_fa) VALUES ('tehran-1', 'tehran', 'تهران');
INSERT INTO cities (id, province_id, name_fa) VALUES ('tehran-2', 'tehran', 'ری');
INSERT INTO cities (id, province_id, name_fa) VALUES ('tehran-3', 'tehran', 'شمیرانات');
INSERT INTO cities (id, province_id, name_fa) VALUES ('tehran-4', 'tehran', 'اسلام‌شهر');
INSERT INTO cities (id, province_id, name_fa) VALUES ('chaharmahal-bakhtiari-1', 'chaharmahal-bakhtiari', 'شهرکرد');
INSERT INTO cities (id, province_id, name_fa) VALUES ('chaharmahal-bakhtiari-2', 'chaharmahal-bakhtiari', 'بروجن');
INSERT INTO cities (id, province_id, name_fa) VALUES ('chaharmahal-bakhtiari-3', 'chaharmahal-bakhtiari', 'فارسان');
INSERT INTO cities (id, province_id, name_fa) VALUES ('south-khorasan-1', 'south-khorasan', 'بیرجند');
INSERT INTO cities (id, province_id, name_fa) VALUES ('south-khorasan-2', 'south-khorasan', 'قائن');
INSERT INTO cities (id, province_id, name_fa) VALUES ('south-khorasan-3', 'south-khorasan', 'فردوس');
INSERT INTO cities (id, province_id, name_fa) VALUES ('razavi-khorasan-1', 'razavi-khorasan', 'مشهد');
INSERT INTO cities (id, province_id, name_fa) VALUES ('razavi-khorasan-2', 'razavi-khorasan', 'نیشابور');
INSERT INTO cities (id, province_id, name_fa) VALUES ('razavi-khorasan-3', 'razavi-khorasan', 'سبزوار');
INSERT INTO cities (id, province_id, name_fa) VALUES ('north-khorasan-1', 'north-khorasan', 'بجنورد');
INSERT INTO cities (id, province_id, name_fa) VALUES ('north-khorasan-2', 'north-khorasan', 'شیروان');
INSERT INTO cities (id, province_id, name_fa) VALUES ('north-khorasan-3', 'north-khorasan', 'اسفراین');
INSERT INTO cities (id, province_id, name_fa) VALUES ('khuzestan-1', 'khuzestan', 'اهواز');
INSERT INTO cities (id, province_id, name_fa) VALUES ('khuzestan-2', 'khuzestan', 'دزفول');
INSERT INTO cities (id, province_id, name_fa) VALUES ('khuzestan-3', 'khuzestan', 'آبادان');
INSERT INTO cities (id, province_id, name_fa) VALUES ('zanjan-1', 'zanjan', 'زنجان');
INSERT INTO cities (id, province_id, name_fa) VALUES ('zanjan-2', 'zanjan', 'ابهر');
INSERT INTO cities (id, province_id, name_fa) VALUES ('zanjan-3', 'zanjan', 'خرمدره');
INSERT INTO cities (id, province_id, name_fa) VALUES ('semnan-1', 'semnan', 'سمنان');
INSERT INTO cities (id, province_id, name_fa) VALUES ('semnan-2', 'semnan', 'شاهرود');
INSERT INTO cities (id, province_id, name_fa) VALUES ('semnan-3', 'semnan', 'گرمسار');
INSERT INTO cities (id, province_id, name_fa) VALUES ('sistan-baluchestan-1', 'sistan-baluchestan', 'زاهدان');
INSERT INTO cities (id, province_id, name_fa) VALUES ('sistan-baluchestan-2', 'sistan-baluchestan', 'زابل');
INSERT INTO cities (id, province_id, name_fa) VALUES ('sistan-baluchestan-3', 'sistan-baluchestan', 'چابهار');
INSERT INTO cities (id, province_id, name_fa) VALUES ('fars-1', 'fars', 'شیراز');
INSERT INTO cities (id, province_id, name_fa) VALUES ('fars-2', 'fars', 'مرودشت');
INSERT INTO cities (id, province_id, name_fa) VALUES ('fars-3', 'fars', 'کازرون');
INSERT INTO cities (id, province_id, name_fa) VALUES ('qazvin-1', 'qazvin', 'قزوین');
INSERT INTO cities (id, province_id, name_fa) VALUES ('qazvin-2', 'qazvin', 'تاکستان');
INSERT INTO cities (id, province_id, name_fa) VALUES ('qazvin-3', 'qazvin', 'بوئین‌زهرا');
INSERT INTO cities (id, province_id, name_fa) VALUES ('qom-1', 'qom', 'قم');
INSERT INTO cities (id, province_id, name_fa) VALUES ('qom-2', 'qom', 'جعفریه');
INSERT INTO cities (id, province_id, name_fa) VALUES ('kurdistan-1', 'kurdistan', 'سنندج');
INSERT INTO cities (id, province_id, name_fa) VALUES ('kurdistan-2', 'kurdistan', 'سقز');
INSERT INTO cities (id, province_id, name_fa) VALUES ('kurdistan-3', 'kurdistan', 'مریوان');
INSERT INTO cities (id, province_id, name_fa) VALUES ('kerman-1', 'kerman', 'کرمان');
INSERT INTO cities (id, province_id, name_fa) VALUES ('kerman-2', 'kerman', 'سیرجان');
INSERT INTO cities (id, province_id, name_fa) VALUES ('kerman-3', 'kerman', 'رفسنجان');
INSERT INTO cities (id, province_id, name_fa) VALUES ('kermanshah-1', 'kermanshah', 'کرمانشاه');
INSERT INTO cities (id, province_id, name_fa) VALUES ('kermanshah-2', 'kermanshah', 'اسلام‌آباد غرب');
INSERT INTO cities (id, province_id, name_fa) VALUES ('kermanshah-3', 'kermanshah', 'کنگاور');
INSERT INTO cities (id, province_id, name_fa) VALUES ('kohgiluyeh-boyer-ahmad-1', 'kohgiluyeh-boyer-ahmad', 'یاسوج');
INSERT INTO cities (id, province_id, name_fa) VALUES ('kohgiluyeh-boyer-ahmad-2', 'kohgiluyeh-boyer-ahmad', 'دوگنبدان');
INSERT INTO cities (id, province_id, name_fa) VALUES ('kohgiluyeh-boyer-ahmad-3', 'kohgiluyeh-boyer-ahmad', 'دهدشت');
INSERT INTO cities (id, province_id, name_fa) VALUES ('golestan-1', 'golestan', 'گرگان');
INSERT INTO cities (id, province_id, name_fa) VALUES ('golestan-2', 'golestan', 'گنبد کاووس');
INSERT INTO cities (id, province_id, name_fa) VALUES ('golestan-3', 'golestan', 'علی‌آباد کتول');
INSERT INTO cities (id, province_id, name_fa) VALUES ('gilan-1', 'gilan', 'رشت');
INSERT INTO cities (id, province_id, name_fa) VALUES ('gilan-2', 'gilan', 'بندر انزلی');
INSERT INTO cities (id, province_id, name_fa) VALUES ('gilan-3', 'gilan', 'لاهیجان');
INSERT INTO cities (id, province_id, name_fa) VALUES ('lorestan-1', 'lorestan', 'خرم‌آباد');
INSERT INTO cities (id, province_id, name_fa) VALUES ('lorestan-2', 'lorestan', 'بروجرد');
INSERT INTO cities (id, province_id, name_fa) VALUES ('lorestan-3', 'lorestan', 'دورود');
INSERT INTO cities (id, province_id, name_fa) VALUES ('mazandaran-1', 'mazandaran', 'ساری');
INSERT INTO cities (id, province_id, name_fa) VALUES ('mazandaran-2', 'mazandaran', 'بابل');
INSERT INTO cities (id, province_id, name_fa) VALUES ('mazandaran-3', 'mazandaran', 'آمل');
INSERT INTO cities (id, province_id, name_fa) VALUES ('markazi-1', 'markazi', 'اراک');
INSERT INTO cities (id, province_id, name_fa) VALUES ('markazi-2', 'markazi', 'ساوه');
INSERT INTO cities (id, province_id, name_fa) VALUES ('markazi-3', 'markazi', 'خمین');
INSERT INTO cities (id, province_id, name_fa) VALUES ('hormozgan-1', 'hormozgan', 'بندرعباس');
INSERT INTO cities (id, province_id, name_fa) VALUES ('hormozgan-2', 'hormozgan', 'قشم');
INSERT INTO cities (id, province_id, name_fa) VALUES ('hormozgan-3', 'hormozgan', 'میناب');
INSERT INTO cities (id, province_id, name_fa) VALUES ('hamadan-1', 'hamadan', 'همدان');
INSERT INTO cities (id, province_id, name_fa) VALUES ('hamadan-2', 'hamadan', 'ملایر');
INSERT INTO cities (id, province_id, name_fa) VALUES ('hamadan-3', 'hamadan', 'نهاوند');
INSERT INTO cities (id, province_id, name_fa) VALUES ('yazd-1', 'yazd', 'یزد');
INSERT INTO cities (id, province_id, name_fa) VALUES ('yazd-2', 'yazd', 'میبد');
INSERT INTO cities (id, province_id, name_fa) VALUES ('yazd-3', 'yazd', 'اردکان');
INSERT INTO officer_fields (field, degree_level) VALUES ('مهندسی پزشکی', 'bachelor');
INSERT INTO officer_fields (field, degree_level) VALUES ('مهندسی پزشکی', 'master');
INSERT INTO officer_fields (field, degree_level) VALUES ('مهندسی پزشکی', 'phd');
INSERT INTO officer_fields (field, degree_level) VALUES ('فیزیک پزشکی', 'master');
INSERT INTO officer_fields (field, degree_level) VALUES ('فیزیک پزشکی', 'phd');
INSERT INTO officer_fields (field, degree_level) VALUES ('مهندسی برق', 'bachelor');
INSERT INTO officer_fields (field, degree_level) VALUES ('مهندسی برق', 'master');
INSERT INTO officer_fields (field, degree_level) VALUES ('مهندسی مکانیک', 'bachelor');
INSERT INTO officer_fields (field, degree_level) VALUES ('مهندسی مکانیک', 'master');
INSERT INTO officer_fields (field, degree_level) VALUES ('علوم آزمایشگاهی', 'bachelor');
INSERT INTO officer_fields (field, degree_level) VALUES ('علوم آزمایشگاهی', 'master');
INSERT INTO officer_fields (field, degree_level) VALUES ('داروسازی', 'professional_doctorate');
INSERT INTO officer_fields (field, degree_level) VALUES ('فناوری اطلاعات سلامت', 'bachelor');
