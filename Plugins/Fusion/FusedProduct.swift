import FITS
import Foundation
import Pipeline

/// The `<cube stem>_fused_s3d.fits` product: the cube's primary header, SCI (wavelength, y, x) on the fused grid
/// with the cube's WCS refined by three (same orientation and spectral axis), the cube's WCS-TABLE when its
/// wavelength axis is tabular, a QUALITY table per NIRCam filter and a MEANSPEC table per channel.
enum FusedProduct {
    struct FilterQuality {
        var filter: String
        var role: String
        var psnr: Double
        var ssim: Double
        var calibration: Double
    }

    static func hdus(cube exposure: Exposure, cubeInput: CubeInput, fused: [Float], quality: [FilterQuality],
                     meanSpectrum: (nirspec: [Double], fused: [Double], relative: [Double]), result: FusionResult,
                     statusKeyword: String) -> [HDU] {
        var primary = exposure.primaryHeader
        primary.set(statusKeyword, .string("COMPLETE"), comment: "SyFu NIRCam + NIRSpec fusion")
        primary.set("FLUXEXT", .string("SCI"))
        primary.remove("ERREXT"); primary.remove("ERRTYPE"); primary.remove("MASKEXT")
        primary.addHistory("SyFu fusion: rank \(result.rank), gamma \(String(format: "%.4g", result.gamma)), no ERR: the regularised estimate has no per-pixel noise model")

        var science = cubeInput.science
        let factor = Double(FusedGrid.factor)
        for axis in 1...2 {
            if let crpix = science.real("CRPIX\(axis)") { science.set("CRPIX\(axis)", .real(factor * crpix - (factor - 1) / 2)) }
            if let cdelt = science.real("CDELT\(axis)") { science.set("CDELT\(axis)", .real(cdelt / factor)) }
            for j in 1...2 { if let cd = science.real("CD\(axis)_\(j)") { science.set("CD\(axis)_\(j)", .real(cd / factor)) } }
        }
        science.set("FUSRANK", .integer(result.rank), comment: "SyFu subspace rank")
        science.set("FUSVAR", .real(result.explainedVariance), comment: "fraction of cube variance in the subspace")
        science.set("FUSGAMMA", .real(result.gamma), comment: "effective gamma = sigma_m^2 / sigma_h^2")
        for (i, mu) in result.mu.enumerated() where i < 9 { science.set("FUSMU\(i + 1)", .real(mu), comment: "Sobolev weight of component \(i + 1)") }
        let shape = [3 * cubeInput.width, 3 * cubeInput.height, cubeInput.wavelengths.count]
        var hdus = [HDU(header: primary), HDU(name: "SCI", image: Image(axes: shape, pixels: fused), header: science)]
        if science.string("CTYPE3")?.uppercased().hasSuffix("-TAB") == true,
           let table = exposure.hdu(science.string("PS3_0") ?? "WCS-TABLE") {
            hdus.append(table)
        }
        var qualityHeader = Header()
        qualityHeader.addComment("PSNR (dB) and SSIM of each NIRCam image against the fused cube through that filter's forward model")
        hdus.append(HDU(name: "QUALITY", table: Table(columns: [
            TableColumn(name: "FILTER", data: .string(quality.map(\.filter), width: 8)),
            TableColumn(name: "ROLE", data: .string(quality.map(\.role), width: 8)),
            TableColumn(name: "PSNR", unit: "dB", data: .float64(quality.map(\.psnr))),
            TableColumn(name: "SSIM", data: .float64(quality.map(\.ssim))),
            TableColumn(name: "CALIB", data: .float64(quality.map(\.calibration))),
        ]), header: qualityHeader))
        let worst = meanSpectrum.relative.map(abs).max() ?? 0
        var spectrumHeader = Header()
        spectrumHeader.set("MAXRELER", .real(worst), comment: "max |relative error| of the mean spectrum")
        hdus.append(HDU(name: "MEANSPEC", table: Table(columns: [
            TableColumn(name: "WAVELENGTH", unit: "um", data: .float64(cubeInput.wavelengths)),
            TableColumn(name: "NIRSPEC", unit: cubeInput.unit, data: .float64(meanSpectrum.nirspec)),
            TableColumn(name: "FUSED", unit: cubeInput.unit, data: .float64(meanSpectrum.fused)),
            TableColumn(name: "REL_ERROR", data: .float64(meanSpectrum.relative)),
        ]), header: spectrumHeader))
        return hdus
    }
}
