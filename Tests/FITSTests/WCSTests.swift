import FITS
import Foundation
import TestSupport
import Testing

/// A TAN header with a 30° roll and 0.031"/px, like a NIRCam i2d.
private func rolledHeader(roll: Double = 30, scale: Double = 0.031) -> Header {
    var h = Header()
    let r = roll * .pi / 180
    h.set("CTYPE1", .string("RA---TAN")); h.set("CTYPE2", .string("DEC--TAN"))
    h.set("CUNIT1", .string("deg")); h.set("CUNIT2", .string("deg"))
    h.set("CRPIX1", .real(50.5)); h.set("CRPIX2", .real(40.5))
    h.set("CRVAL1", .real(83.8)); h.set("CRVAL2", .real(-5.4))
    h.set("CDELT1", .real(scale / 3600)); h.set("CDELT2", .real(scale / 3600))
    h.set("PC1_1", .real(-cos(r))); h.set("PC1_2", .real(sin(r)))
    h.set("PC2_1", .real(sin(r))); h.set("PC2_2", .real(cos(r)))
    h.set("RADESYS", .string("ICRS"))
    return h
}

@Test func referencePixelMapsToReferenceValue() throws {
    let wcs = try CelestialWCS(header: rolledHeader())
    let sky = try wcs.world(pixels: [(49.5, 39.5)])
    #expect(abs(sky[0].ra - 83.8) < 1e-12)
    #expect(abs(sky[0].dec + 5.4) < 1e-12)
}

@Test func pixelToSkyRoundTripsToMicroPixels() throws {
    let wcs = try CelestialWCS(header: rolledHeader())
    let pixels: [(x: Double, y: Double)] = [(0, 0), (99, 79), (12.25, 70.75), (-30, 140)]
    let back = try wcs.pixels(world: try wcs.world(pixels: pixels))
    for (p, q) in zip(pixels, back) {
        #expect(abs(p.x - q.x) < 1e-6 && abs(p.y - q.y) < 1e-6)
    }
}

@Test func scaleAndRollComeFromTheMapping() throws {
    for roll in [0.0, 30, -75, 160] {
        let wcs = try CelestialWCS(header: rolledHeader(roll: roll, scale: 0.1))
        let (scale, rotation) = try wcs.localScaleAndRotation(at: 49.5, 39.5)
        #expect(abs(scale - 0.1) < 1e-6)
        var difference = rotation - roll
        while difference > 180 { difference -= 360 }
        while difference < -180 { difference += 360 }
        #expect(abs(difference) < 1e-4, "roll \(roll) read back as \(rotation)")
    }
}

@Test func headerWithoutCelestialAxesIsRefused() {
    var h = Header()
    h.set("CTYPE1", .string("WAVE"))
    #expect(throws: WCSError.self) { try CelestialWCS(header: h) }
}

@Test func linearWavelengthAxisInMetresIsReadInMicrons() throws {
    var h = Header()
    h.set("CTYPE3", .string("WAVE")); h.set("CUNIT3", .string("m"))
    h.set("CRVAL3", .real(1.66e-6)); h.set("CDELT3", .real(4e-10)); h.set("CRPIX3", .real(1))
    let w = try SpectralAxis.wavelengths(science: h, hdus: [], planes: 3)
    #expect(abs(w[0] - 1.66) < 1e-12 && abs(w[2] - 1.6608) < 1e-12)
}

@Test func missingWavelengthAxisIsNamed() {
    let error = #expect(throws: WCSError.self) { try SpectralAxis.wavelengths(science: Header(), hdus: [], planes: 3) }
    #expect(error?.description.contains("no wavelength axis") == true)
}

@Test func tabularWavelengthAxisOfARealCubeIsRead() throws {
    let path = SharedData.file("real-samples/det_image_seq1_MIRIFUSHORT_12SHORTexp1_s3d.fits")
    guard FileManager.default.fileExists(atPath: path) else { return }
    let hdus = try FITSFile(path: path).readAll(verifyChecksums: false)
    let science = hdus[1].header
    let w = try SpectralAxis.wavelengths(science: science, hdus: hdus, planes: 10)
    // The file's WCS-TABLE starts 4.89, 4.89064, 4.89129 µm (read with astropy).
    #expect(abs(w[0] - 4.89) < 1e-5 && abs(w[1] - 4.89064) < 1e-5)
    let wcs = try CelestialWCS(header: science)
    #expect(abs(try wcs.localScaleAndRotation(at: 4.5, 4.5).scale - 0.13) < 1e-3)
}

@Test func footprintOverlapOfShiftedSquares() throws {
    // Two 3"×3" squares near the equator, shifted by 1.5" in RA: half overlap.
    let d = 1.5 / 3600
    func square(_ ra: Double) -> SkyRegion {
        SkyRegion(sRegion: "POLYGON ICRS \(ra - d) \(-d) \(ra + d) \(-d) \(ra + d) \(d) \(ra - d) \(d)")!
    }
    let a = square(10), b = square(10 + d)
    #expect(abs(a.area - 9) < 1e-3)
    #expect(abs(a.overlapArea(with: b) - 4.5) < 1e-3)
    #expect(square(10).overlapArea(with: square(10.01)) == 0)
    #expect(SkyRegion(sRegion: "CIRCLE ICRS 1 2 3") == nil)
}
