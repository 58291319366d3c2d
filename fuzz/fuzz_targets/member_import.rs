//! Any bytes uploaded as an association's members file: parsed and checked row by row as the
//! import does before touching the database. Nothing may panic; every rejection names a row.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok((_, rejected)) = anjoman_associations::import::read_file(data) {
        assert!(rejected.0.keys().all(|k| k.starts_with("rows[")), "{:?}", rejected.0.keys());
    }
});
