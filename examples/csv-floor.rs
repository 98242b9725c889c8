//! The floor for reading a CSV file: the `csv` crate's byte records, counted and nothing else
//! (what any CSV-reading tool must at least do). `cargo run --release --example csv-floor -- FILE`.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("csv-floor FILE")?;
    let mut reader = csv::ReaderBuilder::new().buffer_capacity(1 << 20).from_path(path)?;
    let mut record = csv::ByteRecord::new();
    let (mut rows, mut bytes) = (0u64, 0usize);
    while reader.read_byte_record(&mut record)? {
        rows += 1;
        bytes += record.as_slice().len();
    }
    println!("{rows} rows, {bytes} bytes of fields");
    Ok(())
}
