import FITS
import Foundation

/// The data units of a FITS file's extensions but its ASDF one (whose tree records when and where the product was
/// made), as bytes: what must not differ between two runs of the same step on the same input.
struct ScienceData {
    struct Unit { let name: String; let bytes: Data }
    let units: [Unit]

    init(path: String) throws {
        let file = try FITSFile(path: path)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        var units: [Unit] = []
        var start = 0
        for index in 0..<(try file.hduCount()) {
            let end = try file.endOfData(hdu: index)
            let name = try file.header(at: index).extensionName ?? "PRIMARY"
            // The header ends with the record END; the data begin at the next 2880-byte block.
            var record = start
            while record + 80 <= end, bytes[record..<record + 8] != Data("END     ".utf8) { record += 80 }
            let dataStart = (record + 80 + FITSStructure.blockSize - 1) / FITSStructure.blockSize * FITSStructure.blockSize
            if name != "ASDF", dataStart < end { units.append(Unit(name: name, bytes: bytes[dataStart..<end])) }
            start = end
        }
        self.units = units
    }
}
