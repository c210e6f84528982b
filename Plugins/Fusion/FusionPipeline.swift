import FITS
import Foundation
import Logging
import Pipeline

/// From exposures to the fused product: validation of the inputs, co-registration, the solve, the quality
/// checks. The step type only declares parameters and calls this.
struct FusionPipeline {
    let settings: FusionSettings
    /// Filter whose image is predicted rather than fitted (empty: none).
    let heldOutFilter: String
    let psfs: PSFProvider
    let statusKeyword: String
    /// Refine every image's registration by phase correlation (always done for moving targets).
    let refine: Bool
    /// Centre (spaxel x, y) and side (spaxels) of the fused field; a side of 0 keeps the whole cube.
    var field: (x: Int, y: Int, size: Int) = (-1, -1, 0)

    /// The product, and the solve's result with the choices it made.
    func run(_ inputs: [Exposure], logger: Logger, progress: @Sendable (Double, String) -> Void) throws -> (
        product: Product, result: FusionResult
    ) {
        let cubes = inputs.filter { $0.kind.instrument == "NIRSPEC" && $0.kind.suffix == "s3d" }
        let images = inputs.filter { $0.kind.instrument == "NIRCAM" && $0.kind.suffix == "i2d" }
        let others = inputs.filter {
            !cubes.map(\.name.fileName).contains($0.name.fileName) && !images.map(\.name.fileName).contains($0.name.fileName)
        }
        if let other = others.first { throw FusionError("\(other.name.fileName): not a NIRSpec s3d cube or a NIRCam i2d image") }
        guard cubes.count == 1, let cubeExposure = cubes.first else {
            throw FusionError("syfu needs exactly one NIRSpec _s3d cube, got \(cubes.count)")
        }
        guard !images.isEmpty else { throw FusionError("\(cubeExposure.name.fileName): no NIRCam _i2d image to fuse with") }

        var cube = try CubeInput(cubeExposure)
        if field.size > 0 {
            try cube.crop(
                centreX: field.x < 0 ? cube.width / 2 : field.x, centreY: field.y < 0 ? cube.height / 2 : field.y, size: field.size)
        }
        let sigma = try Self.clean(&cube)
        let cubeMoving = cubeExposure.primaryHeader.string("TARGTYPE")?.uppercased() == "MOVING"
        let range = cube.wavelengths[0]...cube.wavelengths[cube.wavelengths.count - 1]
        var registered: [RegisteredImage] = []
        var responses: [[Double]] = []
        var bands: [ClosedRange<Double>] = []
        let grid = FusedGrid(cube: cube)
        for exposure in images {
            let image = try ImageInput(exposure)
            guard sameUnit(image.unit, cube.unit) else {
                throw FusionError("\(image.name): unit '\(image.unit)' differs from the cube's '\(cube.unit)' (\(cube.name))")
            }
            guard let throughput = NIRCamThroughput(filter: image.filter) else {
                let known = FusionRanges.filtersByGrating.values.flatMap { $0 }.sorted().joined(separator: ", ")
                throw FusionError("\(image.name): filter '\(image.filter)' has no fusion partner (filters that fuse: \(known))")
            }
            let band = throughput.halfPowerBand
            guard range.contains(band.lowerBound), range.contains(band.upperBound) else {
                throw FusionError(
                    String(
                        format: "%@: filter %@ (%.3f-%.3f µm) lies outside the cube's range %.3f-%.3f µm (%@)",
                        image.name, image.filter, band.lowerBound, band.upperBound, range.lowerBound, range.upperBound, cube.name))
            }
            if let a = cube.region, let b = image.region, a.overlapArea(with: b) <= 0 {
                throw FusionError("\(image.name): footprint does not overlap the cube \(cube.name) (S_REGION)")
            }
            let response = throughput.response(at: cube.wavelengths)
            if refine || image.movingTarget || cubeMoving {
                let (result, shift) = try CoRegistration.refined(image, onto: grid, cube: cube, response: response)
                logger.info(
                    "\(image.filter): phase correlation moved the image by (\(String(format: "%.2f", shift.dx)), \(String(format: "%.2f", shift.dy))) fused pixels"
                )
                registered.append(result)
            } else {
                registered.append(try CoRegistration.register(image, onto: grid, cube: cube))
            }
            responses.append(response)
            bands.append(band)
            let geometry = try? image.wcs.localScaleAndRotation(at: Double(image.width) / 2, Double(image.height) / 2)
            logger.info(
                "registered \(image.filter): \(Int(registered.last!.coverage * 100))% coverage, scale \(String(format: "%.4f", geometry?.scale ?? 0))\", roll \(String(format: "%.2f", geometry?.rotation ?? 0))°"
            )
        }
        progress(0.2, "co-registered \(registered.count) images")

        let plane = cube.plane
        let held = heldOutFilter.uppercased()
        let fitIndices = registered.indices.filter { registered[$0].filter != held }
        let heldIndices = registered.indices.filter { registered[$0].filter == held }
        guard !fitIndices.isEmpty else { throw FusionError("holdout=\(heldOutFilter) leaves no image to fit") }
        if !held.isEmpty, heldIndices.isEmpty { throw FusionError("holdout filter \(heldOutFilter) is not among the inputs") }

        var problem = FusionProblem(
            width: cube.width, height: cube.height, wavelengths: cube.wavelengths, cube: cube.data.map(Double.init),
            cubeSigma: sigma, images: fitIndices.map { registered[$0].values },
            imageSigma: fitIndices.map { registered[$0].sigma }, responses: fitIndices.map { responses[$0] },
            spaxelScale: try cube.wcs.localScaleAndRotation(at: Double(cube.width) / 2, Double(cube.height) / 2).scale)
        problem.imageNoise = fitIndices.map { registered[$0].noise }
        problem.heldOutImages = heldIndices.map { registered[$0].values }
        problem.heldOutResponses = heldIndices.map { responses[$0] }
        let result = try FourierBlockSolver.solve(problem, settings: settings, psfs: psfs)
        progress(0.9, "solved, rank \(result.rank)")

        let fineWidth = problem.fineWidth, fineHeight = problem.fineHeight
        // The model's image against each NIRCam image: those it was fitted to, then those held out of the fit.
        let sets = [
            ("fitted", fitIndices, result.modelImages, result.calibration),
            ("held-out", heldIndices, result.heldOutModelImages, result.heldOutCalibration),
        ]
        let quality = sets.flatMap { role, indices, models, calibration in
            indices.enumerated().map { n, i in
                FusedProduct.FilterQuality(
                    filter: registered[i].filter, role: role,
                    psnr: FusionQuality.psnr(reference: registered[i].values, estimate: models[n]),
                    ssim: FusionQuality.ssim(reference: registered[i].values, estimate: models[n], width: fineWidth, height: fineHeight),
                    calibration: calibration[n])
            }
        }
        for q in quality {
            logger.info("\(q.filter) (\(q.role)): PSNR \(String(format: "%.2f", q.psnr)) dB, SSIM \(String(format: "%.4f", q.ssim))")
        }
        let meanSpectrum = FusionQuality.meanSpectrumError(
            fused: result.cube, finePlane: fineWidth * fineHeight, cube: problem.cube,
            plane: plane, planes: cube.wavelengths.count)
        let coverage = FusedCoverage(
            measured: cube.measured, width: cube.width, height: cube.height, wavelengths: cube.wavelengths,
            covered: fitIndices.map { registered[$0].covered }, bands: fitIndices.map { bands[$0] })
        let fileName = cubeExposure.name.product(suffix: "fused_s3d")
        let hdus = try FusedProduct.hdus(
            cube: cubeExposure, cubeInput: cube, members: [cubeExposure] + images, productName: fileName,
            voxels: .init(values: result.cube, sigma: result.sigma, coverage: coverage), quality: quality,
            meanSpectrum: meanSpectrum, result: result, statusKeyword: statusKeyword)
        return (Product(fileName: fileName, hdus: hdus, program: cubeExposure.kind.program), result)
    }

    /// Fills NaN (and DO_NOT_USE) cube values from neighbouring spaxels, refusing cubes that are mostly empty,
    /// and returns the noise sigma per channel (median ERR of the valid spaxels, or a robust estimate).
    static func clean(_ cube: inout CubeInput) throws -> [Double] {
        let plane = cube.plane, planes = cube.wavelengths.count
        var empty = 0
        for p in 0..<plane where (0..<planes).allSatisfy({ !cube.data[$0 * plane + p].isFinite }) { empty += 1 }
        guard empty * 2 <= plane else {
            throw FusionError("\(cube.name): \(empty) of \(plane) spaxels are NaN in every channel (not enough data to fuse)")
        }
        var sigma = [Double](repeating: 0, count: planes)
        for l in 0..<planes {
            var values = (0..<plane).map { Double(cube.data[l * plane + $0]) }
            if let error = cube.error {
                let valid = (0..<plane).compactMap { p -> Double? in
                    let e = Double(error[l * plane + p])
                    return values[p].isFinite && e.isFinite && e > 0 ? e : nil
                }
                sigma[l] = NoiseEstimate.median(valid) ?? 0
            }
            if values.allSatisfy({ !$0.isFinite }) {
                throw FusionError("\(cube.name): channel \(l + 1) (\(cube.wavelengths[l]) µm) holds no valid spaxel")
            }
            GapFilling.fill(&values, width: cube.width, height: cube.height)
            for p in 0..<plane { cube.data[l * plane + p] = Float(values[p]) }
        }
        if sigma.contains(where: { !($0 > 0) }) {
            let estimate = NoiseEstimate.spectralSigma(cube.data.map(Double.init), planes: planes, plane: plane)
            sigma = sigma.map { $0 > 0 ? $0 : estimate }
        }
        return sigma
    }
}
