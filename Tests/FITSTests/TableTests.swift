import FITS
import TestSupport
import XCTest

final class TableTests: XCTestCase {
    func testEveryColumnTypeRoundTrips() throws {
        let table = Table(columns: [
            TableColumn(name: "WAVELENGTH", unit: "um", data: .float64([1.0, 1.5, 2.25])),
            TableColumn(name: "FLUX", unit: "Jy", data: .float32([0.5, .nan, 2])),
            TableColumn(name: "DQ", data: .uint32([0, 1 << 28, UInt32.max])),
            TableColumn(name: "NPIXELS", data: .int32([3, -4, 5])),
            TableColumn(name: "BIG", data: .int64([1 << 40, -1, 0])),
            TableColumn(name: "SHORT", data: .int16([1, 2, -3])),
            TableColumn(name: "USHORT", data: .uint16([1, 60000, 3])),
            TableColumn(name: "BYTES", repeatCount: 2, data: .uint8([1, 2, 3, 4, 5, 6])),
            TableColumn(name: "FLAG", data: .logical([true, false, true])),
            TableColumn(name: "NAME", data: .string(["alpha", "b", ""], width: 8)),
        ])
        let dir = try TemporaryDirectory()
        let path = dir.file("t.fits")
        try FITSWriter.write([HDU(), HDU(name: "EXTRACT1D", table: table)], to: path)
        let back = try XCTUnwrap(FITSFile(path: path).read(at: 1).table)
        XCTAssertEqual(back.rowCount, 3)
        XCTAssertEqual(back["WAVELENGTH"]?.data, .float64([1.0, 1.5, 2.25]))
        XCTAssertEqual(back["WAVELENGTH"]?.unit, "um")
        if case .float32(let f)? = back["FLUX"]?.data {
            XCTAssertEqual(f[0], 0.5); XCTAssertTrue(f[1].isNaN); XCTAssertEqual(f[2], 2)
        } else {
            XCTFail("FLUX type")
        }
        XCTAssertEqual(back["DQ"]?.data, .uint32([0, 1 << 28, UInt32.max]))
        XCTAssertEqual(back["NPIXELS"]?.data, .int32([3, -4, 5]))
        XCTAssertEqual(back["BIG"]?.data, .int64([1 << 40, -1, 0]))
        XCTAssertEqual(back["SHORT"]?.data, .int16([1, 2, -3]))
        XCTAssertEqual(back["USHORT"]?.data, .uint16([1, 60000, 3]))
        XCTAssertEqual(back["BYTES"]?.data, .uint8([1, 2, 3, 4, 5, 6]))
        XCTAssertEqual(back["BYTES"]?.repeatCount, 2)
        XCTAssertEqual(back["FLAG"]?.data, .logical([true, false, true]))
        XCTAssertEqual(back["NAME"]?.data, .string(["alpha", "b", ""], width: 8))
        if let verify = ExternalTool.run("fitsverify", ["-q", path]) {
            XCTAssertTrue(verify.output.contains("verification OK"), verify.output)
        }
    }
}
