import FITS
import QuickLook
import TestSupport
import XCTest

/// Each kind of sheet drawn from products built here with known content, then read back as pixels: the size, not
/// blank, and the expected panels where the layout puts them.
final class SheetTests: XCTestCase {
    private var folder: TemporaryDirectory?

    override func setUpWithError() throws { folder = try TemporaryDirectory("webbflow-quicklook") }
    override func tearDown() { folder = nil }

    private func draw(_ product: [HDU], inputs: [[HDU]] = [], sheet: Sheet, step: String) throws -> PNGPicture {
        let path = try XCTUnwrap(folder).file("\(step).png")
        let png = try QuickLook.png(
            product: product, inputs: inputs, sheet: sheet, fileName: "jw01234001001_03101_00001_nrs1_\(step).fits", step: step)
        try Data(png).write(to: URL(fileURLWithPath: path))
        return try PNGPicture(contentsOf: path)
    }

    private func primary(_ values: [String: String]) -> HDU {
        var h = Header()
        for (k, v) in values.sorted(by: { $0.key < $1.key }) { h.set(k, .string(v)) }
        return HDU(header: h)
    }

    /// How many distinct colours a region holds: 1 for a flat fill.
    private func colours(_ picture: PNGPicture, x: ClosedRange<Int>, y: ClosedRange<Int>) -> Int {
        Set(y.flatMap { row in x.map { picture[$0, row] } }).count
    }

    private func isGrey(_ pixel: UInt32) -> Bool { pixel >> 16 & 0xFF == pixel >> 8 & 0xFF && pixel >> 8 & 0xFF == pixel & 0xFF }
    // The sheets' colours, allowing for antialiased edges: the curve's blue, the flags' red, the error band's pale blue.
    private func isCurveBlue(_ p: UInt32) -> Bool { Int(p & 0xFF) > Int(p >> 16 & 0xFF) + 60 }
    private func isCurveOrange(_ p: UInt32) -> Bool { Int(p >> 16 & 0xFF) > Int(p & 0xFF) + 100 }
    private func isFlagRed(_ p: UInt32) -> Bool { p >> 16 & 0xFF > 180 && p >> 8 & 0xFF < 60 && p & 0xFF < 60 }
    private func isBandBlue(_ p: UInt32) -> Bool {
        (160...200).contains(p >> 16 & 0xFF) && (190...215).contains(p >> 8 & 0xFF) && p & 0xFF > 230
    }

    func testNSCleanSheetShowsThreeImagesAndTheBandingRemoved() throws {
        // A 256² frame: a flat background with stripes every other column (the banding), and a bright trace.
        let width = 256
        let cleaned = (0..<(width * width)).map { i in Float(abs(i / width - 128) < 3 ? 50 : 1) + Float(i % 7) * 0.01 }
        let input = cleaned.enumerated().map { i, v in v + (i % width % 2 == 0 ? 0.5 : -0.5) }
        let product = [
            primary(["INSTRUME": "NIRSPEC", "TARGNAME": "ngc-test"]),
            HDU(name: "SCI", image: Image(axes: [width, width], pixels: cleaned)),
        ]
        let inputs = [[primary([:]), HDU(name: "SCI", image: Image(axes: [width, width], pixels: input))]]
        let picture = try draw(product, inputs: inputs, sheet: .cleanedImage, step: "nsclean")
        XCTAssertEqual(picture.width, 1600)
        XCTAssertEqual(picture.height, 1000)
        XCTAssertGreaterThan(colours(picture, x: 0...1599, y: 20...70), 2, "a title")
        // The panels at x = 70, 580, 1090 (440 px square from y = 110): each an image with more than flat content.
        for x0 in [70, 580, 1090] {
            XCTAssertGreaterThan(colours(picture, x: (x0 + 20)...(x0 + 420), y: 130...530), 1, "an image in the panel at \(x0)")
            XCTAssertTrue(isGrey(picture[x0 + 220, 330]), "image panels are grey scale")
        }
        // Below: the column means before (orange) and after (blue).
        let plot = (640...920).flatMap { y in (110...1540).map { picture[$0, y] } }
        XCTAssertTrue(plot.contains(where: isCurveOrange), "the banding before cleaning, in orange")
        XCTAssertTrue(plot.contains(where: isCurveBlue), "the flat line after cleaning, in blue")
    }

    func testSpectrumSheetDrawsEachSlitWithErrorsAndFlags() throws {
        let n = 200
        let wavelength = (0..<n).map { 1.0 + Double($0) * 0.01 }
        let flux = wavelength.map { 1e-3 * (1 + 0.2 * sin($0 * 20)) }
        let dq: [UInt32] = (0..<n).map { $0 == 100 ? 1 : 0 }
        let spectrum = { (version: Int) in
            var h = Header()
            h.set("EXTVER", .integer(version))
            h.set("SLTNAME", .string("S200A\(version)"))
            return HDU(
                name: "EXTRACT1D",
                table: Table(columns: [
                    TableColumn(name: "WAVELENGTH", unit: "um", data: .float64(wavelength)),
                    TableColumn(name: "FLUX", unit: "Jy", data: .float64(flux)),
                    TableColumn(name: "FLUX_ERROR", unit: "Jy", data: .float64(flux.map { $0 * 0.05 })),
                    TableColumn(name: "DQ", data: .uint32(dq)),
                ]), header: h)
        }
        let picture = try draw([primary(["INSTRUME": "NIRSPEC"]), spectrum(1), spectrum(2)], sheet: .spectrum, step: "x1d")
        // Two panels stacked in the plot region: blue curves and a red flag in each half.
        for half in [110...500, 560...960] {
            let pixels = half.flatMap { y in (120...1560).map { picture[$0, y] } }
            XCTAssertTrue(pixels.contains(where: isCurveBlue), "the flux curve in \(half)")
            XCTAssertTrue(pixels.contains(where: isFlagRed), "the DQ-flagged sample in \(half)")
            XCTAssertTrue(pixels.contains(where: isBandBlue), "the error band in \(half)")
        }
    }

    func testGenericSheetShowsAnImageOrATable() throws {
        let image = Image(axes: [64, 32], pixels: (0..<(64 * 32)).map { Float($0 % 64) })
        let picture = try draw([primary([:]), HDU(name: "SCI", image: image)], sheet: .generic, step: "external")
        XCTAssertGreaterThan(colours(picture, x: 400...1200, y: 300...900), 10, "a graded image")
        let table = Table(columns: [
            TableColumn(name: "TIME", data: .float64((0..<50).map(Double.init))),
            TableColumn(name: "RATE", data: .float64((0..<50).map { Double($0 * $0) })),
        ])
        let plotted = try draw([primary([:]), HDU(name: "LIGHTCURVE", table: table)], sheet: .generic, step: "table")
        XCTAssertTrue((120...900).flatMap { y in (120...1560).map { plotted[$0, y] } }.contains(where: isCurveBlue), "the curve")
    }
}
