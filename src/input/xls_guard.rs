//! Checks an .xls file before calamine parses it. calamine reads every sheet of an .xls at
//! once into dense ranges, reserves memory from the row and column counts a sheet declares,
//! and follows sector chains without noticing loops, so a small hostile file could make it
//! allocate without bound (an allocation failure aborts the process; it cannot be caught).
//! This module walks the compound file the way calamine does, with loop detection, and adds
//! up what the sheets would occupy, so such files are refused with a message instead.

use crate::config::Limits;
use crate::findings::Problem;

const ENDOFCHAIN: u32 = 0xFFFF_FFFE;
const RESERVED_SECTORS: u32 = 0xFFFF_FFFA;
const DIFSECT: u32 = 0xFFFF_FFFC;
/// The most cells an .xls sheet can hold (65,536 rows × 256 columns).
const XLS_SHEET_CELLS: u64 = 65_536 * 256;

/// Refuse the .xls bytes if calamine would loop, or allocate more than the limits allow.
pub fn check_xls(bytes: &[u8], limits: &Limits) -> Result<(), Problem> {
    let stream = match workbook_stream(bytes)? {
        Some(stream) => stream,
        // No workbook stream: calamine reports that without allocating.
        None => return Ok(()),
    };
    check_biff(&stream, limits)
}

fn damaged(detail: &str) -> Problem {
    Problem::Unreadable {
        detail: detail.to_string(),
    }
}

fn read_u16(bytes: &[u8], at: usize) -> Option<u16> {
    let b = bytes.get(at..at + 2)?;
    Some(u16::from_le_bytes([b[0], b[1]]))
}

fn read_u32(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at + 4)?;
    Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

fn read_u64(bytes: &[u8], at: usize) -> Option<u64> {
    let b = bytes.get(at..at + 8)?;
    let mut a = [0u8; 8];
    a.copy_from_slice(b);
    Some(u64::from_le_bytes(a))
}

fn u32s(bytes: &[u8]) -> impl Iterator<Item = u32> + '_ {
    bytes
        .chunks_exact(4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// The sectors of a compound file, as calamine addresses them: sector `id` starts
/// `header + id * size` bytes into the file; the last one may be short.
struct Sectors<'a> {
    data: &'a [u8],
    size: usize,
    max_id: u64,
}

impl<'a> Sectors<'a> {
    fn get(&self, id: u32) -> Result<&'a [u8], Problem> {
        if u64::from(id) > self.max_id {
            return Err(damaged("a sector points past the end of the file"));
        }
        let start = (id as usize).saturating_mul(self.size);
        let end = start.saturating_add(self.size).min(self.data.len());
        self.data
            .get(start..end)
            .ok_or_else(|| damaged("a sector points past the end of the file"))
    }

    /// Follow a chain until `len` bytes or its end; a chain longer than the file has
    /// sectors loops.
    fn chain(&self, start: u32, fat: &[u32], len: u64) -> Result<Vec<u8>, Problem> {
        let mut out = Vec::new();
        let mut id = start;
        let mut steps: u64 = 0;
        while id != ENDOFCHAIN {
            steps += 1;
            if steps > self.max_id + 2 {
                return Err(damaged("a sector chain of the compound file loops"));
            }
            let sector = self.get(id)?;
            let remaining = len.saturating_sub(out.len() as u64);
            let take = (sector.len() as u64).min(remaining) as usize;
            out.extend_from_slice(&sector[..take]);
            if out.len() as u64 >= len {
                break;
            }
            id = *fat
                .get(id as usize)
                .ok_or_else(|| damaged("a sector chain points outside the allocation table"))?;
        }
        Ok(out)
    }
}

/// An allocation-table sector, which must be whole (calamine asserts it is).
fn full_sector<'a>(sectors: &Sectors<'a>, id: u32) -> Result<&'a [u8], Problem> {
    let sector = sectors.get(id)?;
    if sector.len() == sectors.size {
        Ok(sector)
    } else {
        Err(damaged("the file is truncated"))
    }
}

/// Whether a compound file is an encrypted OOXML package (Office's "Encrypt with
/// password" on an .xlsx): its directory holds `EncryptionInfo` and `EncryptedPackage`
/// streams. Only the directory's names are looked at, never the text of the streams.
pub fn is_encrypted_package(bytes: &[u8]) -> Result<bool, Problem> {
    let Some(directory) = read_directory(bytes)? else {
        return Ok(false);
    };
    Ok(directory.entries.iter().any(|e| {
        e.name.eq_ignore_ascii_case("EncryptionInfo")
            || e.name.eq_ignore_ascii_case("EncryptedPackage")
    }))
}

struct Entry {
    name: String,
    start: u32,
    len: u64,
}

/// A compound file's sectors, allocation table and directory entries.
struct Directory<'a> {
    version: u16,
    sector_size: usize,
    mini_fat_start: u32,
    mini_fat_len: u32,
    sectors: Sectors<'a>,
    fat: Vec<u32>,
    entries: Vec<Entry>,
}

/// The `Workbook` (or `Book`) stream, read the way calamine reads it.
fn workbook_stream(bytes: &[u8]) -> Result<Option<Vec<u8>>, Problem> {
    let Some(Directory {
        version,
        sector_size,
        mini_fat_start,
        mini_fat_len,
        sectors,
        fat,
        entries,
    }) = read_directory(bytes)?
    else {
        return Ok(None);
    };
    let Some(root) = entries.first() else {
        return Ok(None);
    };
    if version != 3 && root.start == ENDOFCHAIN {
        return Ok(None);
    }
    let (mini_fat, mini_stream) = if mini_fat_len > 0 {
        let mini_stream = sectors.chain(root.start, &fat, root.len)?;
        let mini_fat_bytes = u64::from(mini_fat_len) * sector_size as u64;
        let mini_fat: Vec<u32> =
            u32s(&sectors.chain(mini_fat_start, &fat, mini_fat_bytes)?).collect();
        (mini_fat, mini_stream)
    } else {
        (Vec::new(), Vec::new())
    };
    let find = |wanted: &str| entries.iter().find(|e| e.name.eq_ignore_ascii_case(wanted));
    let Some(entry) = find("Workbook").or_else(|| find("Book")) else {
        return Ok(None);
    };
    if entry.len < 4096 {
        let minis = Sectors {
            data: &mini_stream,
            size: 64,
            max_id: sectors.max_id.saturating_mul(8),
        };
        // calamine reads mini sectors past the mini stream from wherever the file reader
        // happens to be; such a file is damaged.
        let chain = minis.chain(entry.start, &mini_fat, entry.len)?;
        if (chain.len() as u64) < entry.len && !mini_stream.is_empty() {
            return Err(damaged("the workbook stream is shorter than declared"));
        }
        Ok(Some(chain))
    } else {
        sectors.chain(entry.start, &fat, entry.len).map(Some)
    }
}

/// The compound file's header, allocation table and directory, read the way calamine reads
/// them; `None` where calamine refuses the header without reading further.
fn read_directory(bytes: &[u8]) -> Result<Option<Directory<'_>>, Problem> {
    if bytes.len() < 512 {
        return Err(damaged("the compound file is shorter than its header"));
    }
    let version = read_u16(bytes, 26).unwrap_or(0);
    let sector_size: usize = match read_u16(bytes, 30) {
        Some(0x0009) => 512,
        Some(0x000C) => 4096,
        _ => return Ok(None), // calamine refuses the header without reading further
    };
    if read_u16(bytes, 32) != Some(0x0006) || bytes.len() < sector_size {
        return Ok(None);
    }
    let field = |at| read_u32(bytes, at).unwrap_or(0);
    let (dir_start, mini_fat_start, mini_fat_len, difat_start) =
        (field(48), field(60), field(64), field(68));
    let sectors = Sectors {
        data: &bytes[sector_size..],
        size: sector_size,
        max_id: (bytes.len() / sector_size) as u64,
    };

    let mut difat: Vec<u32> = u32s(&bytes[76..512]).collect();
    let mut id = difat_start;
    let mut steps: u64 = 0;
    while id < RESERVED_SECTORS {
        steps += 1;
        if steps > sectors.max_id + 1 {
            return Err(damaged("the compound file's allocation table list loops"));
        }
        difat.extend(u32s(full_sector(&sectors, id)?));
        id = difat
            .pop()
            .ok_or_else(|| damaged("the compound file's allocation table list is empty"))?;
    }
    let mut fat = Vec::new();
    for id in difat.into_iter().filter(|id| *id < DIFSECT) {
        fat.extend(u32s(full_sector(&sectors, id)?));
    }

    let directory = sectors.chain(dir_start, &fat, u64::MAX)?;
    let entries: Vec<Entry> = directory
        .chunks_exact(128)
        .map(|c| {
            let units: Vec<u16> = c[..64]
                .chunks_exact(2)
                .map(|b| u16::from_le_bytes([b[0], b[1]]))
                .collect();
            let mut name = String::from_utf16_lossy(&units);
            if let Some(nul) = name.find('\0') {
                name.truncate(nul);
            }
            let start = read_u32(c, 116).unwrap_or(ENDOFCHAIN);
            let len = if sector_size == 512 {
                u64::from(read_u32(c, 120).unwrap_or(0))
            } else {
                read_u64(c, 120).unwrap_or(0)
            };
            Entry { name, start, len }
        })
        .collect();
    Ok(Some(Directory {
        version,
        sector_size,
        mini_fat_start,
        mini_fat_len,
        sectors,
        fat,
        entries,
    }))
}

/// One BIFF record: type and data (continuation records are not needed here).
struct Records<'a> {
    stream: &'a [u8],
}

impl<'a> Iterator for Records<'a> {
    type Item = (u16, &'a [u8]);

    fn next(&mut self) -> Option<Self::Item> {
        let typ = read_u16(self.stream, 0)?;
        let len = read_u16(self.stream, 2)? as usize;
        let data = self.stream.get(4..4 + len)?;
        self.stream = &self.stream[4 + len..];
        Some((typ, data))
    }
}

/// The bounding box of cells calamine will place in a dense range.
#[derive(Default)]
struct Bounds {
    rows: Option<(u32, u32)>,
    cols: Option<(u32, u32)>,
}

impl Bounds {
    fn add(&mut self, row: u32, col: u32) {
        let widen = |b: Option<(u32, u32)>, v: u32| match b {
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
            None => Some((v, v)),
        };
        self.rows = widen(self.rows, row);
        self.cols = widen(self.cols, col);
    }

    fn area(&self) -> u64 {
        match (self.rows, self.cols) {
            (Some((r0, r1)), Some((c0, c1))) => (u64::from(r1) - u64::from(r0) + 1)
                .saturating_mul(u64::from(c1) - u64::from(c0) + 1),
            _ => 0,
        }
    }
}

/// Walk the globals to find the sheets, then each sheet's records as calamine does.
fn check_biff(stream: &[u8], limits: &Limits) -> Result<(), Problem> {
    let mut sheet_positions = Vec::new();
    for (typ, data) in (Records { stream }) {
        match typ {
            0x002F if read_u16(data, 0).is_some_and(|v| v != 0) => return Err(Problem::Encrypted),
            0x0085 => match read_u32(data, 0) {
                Some(pos) => sheet_positions.push(pos as usize),
                None => return Ok(()),
            },
            0x000A => break,
            _ => {}
        }
    }
    let mut total: u64 = 0;
    let mut measured: std::collections::HashMap<usize, u64> = Default::default();
    for pos in sheet_positions {
        let Some(sheet) = stream.get(pos..) else {
            return Err(damaged("a sheet points outside the workbook stream"));
        };
        let area = match measured.get(&pos) {
            Some(area) => *area,
            None => {
                let area = sheet_area(sheet)?;
                measured.insert(pos, area);
                area
            }
        };
        total = total.saturating_add(area);
        if total > limits.max_cells {
            return Err(Problem::TooLarge {
                what: format!("the .xls sheets span more than {} cells", limits.max_cells),
                limit: format!("max_cells = {}", limits.max_cells),
            });
        }
    }
    Ok(())
}

/// The cells one sheet occupies in calamine: its values' and formulas' dense ranges. A
/// declared size beyond what an .xls sheet can hold is refused outright.
fn sheet_area(sheet: &[u8]) -> Result<u64, Problem> {
    let mut values = Bounds::default();
    let mut formulas = Bounds::default();
    let mut formula_pos = (0u32, 0u32);
    let mut seen_bof = false;
    let mut depth = 0usize;
    let position = |data: &[u8]| Some((read_u16(data, 0)? as u32, read_u16(data, 2)? as u32));
    for (typ, data) in (Records { stream: sheet }) {
        if depth > 0 {
            match typ {
                0x0809 => depth += 1,
                0x000A => depth -= 1,
                _ => {}
            }
            continue;
        }
        match typ {
            0x0809 => {
                if seen_bof {
                    depth += 1;
                } else {
                    seen_bof = true;
                }
            }
            0x0200 => {
                let (rf, rl, cf, cl) = match data.len() {
                    10 => (
                        read_u16(data, 0).map(u32::from),
                        read_u16(data, 2).map(u32::from),
                        read_u16(data, 4).map(u32::from),
                        read_u16(data, 6).map(u32::from),
                    ),
                    14 | 16 => (
                        read_u32(data, 0),
                        read_u32(data, 4),
                        read_u16(data, 8).map(u32::from),
                        read_u16(data, 10).map(u32::from),
                    ),
                    _ => break,
                };
                let (Some(rf), Some(rl), Some(mut cf), Some(cl)) = (rf, rl, cf, cl) else {
                    break;
                };
                if cf > 0xFF || cl < cf {
                    cf = 0;
                }
                // calamine computes `end - start + 1` from these in u32 arithmetic.
                let (rows, cols) = if rl >= 1 && cl >= 1 {
                    (rl.wrapping_sub(rf), cl.wrapping_sub(cf))
                } else {
                    (1, 1)
                };
                let declared = u64::from(rows).saturating_mul(u64::from(cols));
                if declared > XLS_SHEET_CELLS {
                    return Err(damaged(&format!(
                        "a sheet declares {rows} rows × {cols} columns, more than an .xls sheet holds"
                    )));
                }
            }
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD => match position(data) {
                Some((row, col)) => values.add(row, col),
                None => break,
            },
            0x0207 => values.add(formula_pos.0, formula_pos.1),
            0x00BD => {
                let (Some((row, first)), Some(last)) = (
                    position(data),
                    data.len().checked_sub(2).and_then(|at| read_u16(data, at)),
                ) else {
                    break;
                };
                let last = u32::from(last);
                if last < first || data.len() != 6 + 6 * (last - first + 1) as usize {
                    break;
                }
                values.add(row, first);
                values.add(row, last);
            }
            0x0006 => {
                if data.len() < 20 {
                    break;
                }
                let Some(pos) = position(data) else { break };
                formula_pos = pos;
                values.add(pos.0, pos.1);
                formulas.add(pos.0, pos.1);
            }
            0x000A => break,
            _ => {}
        }
    }
    Ok(values.area().saturating_add(formulas.area()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut out = typ.to_le_bytes().to_vec();
        out.extend_from_slice(&(data.len() as u16).to_le_bytes());
        out.extend_from_slice(data);
        out
    }

    fn number(row: u16, col: u16) -> Vec<u8> {
        let mut data = row.to_le_bytes().to_vec();
        data.extend_from_slice(&col.to_le_bytes());
        data.extend_from_slice(&[0u8; 10]);
        record(0x0203, &data)
    }

    /// Globals with one BoundSheet pointing right after them, then the sheet's records.
    fn stream(sheet_records: &[Vec<u8>]) -> Vec<u8> {
        let globals_len = 4 + 8 + 4; // BoundSheet record + EOF record
        let mut bound = (globals_len as u32).to_le_bytes().to_vec();
        bound.extend_from_slice(&[0, 0, 1, 0]);
        let mut out = record(0x0085, &bound);
        out.extend(record(0x000A, &[]));
        out.extend(record(0x0809, &[0u8; 16]));
        for r in sheet_records {
            out.extend_from_slice(r);
        }
        out.extend(record(0x000A, &[]));
        out
    }

    #[test]
    fn far_apart_cells_are_refused_by_their_dense_area() {
        let small = stream(&[number(0, 0), number(9, 3)]);
        assert!(check_biff(&small, &Limits::default()).is_ok());
        let far = stream(&[number(0, 0), number(65_535, 60_000)]);
        assert!(matches!(
            check_biff(&far, &Limits::default()),
            Err(Problem::TooLarge { .. })
        ));
    }

    #[test]
    fn declared_dimensions_beyond_an_xls_sheet_are_refused() {
        let mut dims = 0u32.to_le_bytes().to_vec();
        dims.extend_from_slice(&4_000_000_000u32.to_le_bytes());
        dims.extend_from_slice(&[0, 0, 0xFF, 0, 0, 0]);
        let bad = stream(&[record(0x0200, &dims)]);
        assert!(matches!(
            check_biff(&bad, &Limits::default()),
            Err(Problem::Unreadable { .. })
        ));
    }

    #[test]
    fn file_pass_means_encrypted() {
        let mut s = record(0x002F, &[1, 0, 0, 0]);
        s.extend(record(0x000A, &[]));
        assert!(matches!(
            check_biff(&s, &Limits::default()),
            Err(Problem::Encrypted)
        ));
    }

    #[test]
    fn looping_sector_chains_are_refused() {
        let mut file = vec![0u8; 512 * 3];
        file[..8].copy_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
        file[26..28].copy_from_slice(&4u16.to_le_bytes());
        file[30..32].copy_from_slice(&9u16.to_le_bytes());
        file[32..34].copy_from_slice(&6u16.to_le_bytes());
        file[48..52].copy_from_slice(&1u32.to_le_bytes()); // directory at sector 1
        file[68..72].copy_from_slice(&ENDOFCHAIN.to_le_bytes());
        for slot in file[76..512].chunks_exact_mut(4) {
            slot.copy_from_slice(&0xFFFF_FFFFu32.to_le_bytes());
        }
        file[76..80].copy_from_slice(&0u32.to_le_bytes()); // FAT in sector 0
                                                           // FAT: sector 0 is the FAT itself, sector 1 points to itself (a loop).
        let fat = 512;
        file[fat..fat + 4].copy_from_slice(&0xFFFF_FFFDu32.to_le_bytes());
        file[fat + 4..fat + 8].copy_from_slice(&1u32.to_le_bytes());
        match workbook_stream(&file) {
            Err(Problem::Unreadable { detail }) => assert!(detail.contains("loops"), "{detail}"),
            other => panic!("{:?}", other.map(|s| s.map(|s| s.len()))),
        }
    }
}
