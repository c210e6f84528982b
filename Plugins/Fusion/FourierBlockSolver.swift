import Foundation
import Numerics
import Platform

/// Solves the SyFu problem (paper eq. 9) exactly in the Fourier domain.
///
/// With X = V Z + μ, every convolution is diagonal in frequency and the NIRSpec 3× decimation only couples the
/// 9 fine frequencies that alias onto one coarse frequency. The normal equations therefore split into one
/// independent Hermitian block of size 9k per coarse frequency; each block is assembled with BLAS and solved by
/// Cholesky (no iteration, no tolerance). Data terms are weighted by their noise (1/σ² per filter and per
/// channel, so γ = σm²/σh² as in Appendix B), the Sobolev term of component i by 1/α_i², α_i² being the mean
/// squared gradient of a crude solution (the bicubic upsampling of the cube projected on the subspace).
/// Frequencies come in conjugate pairs for a real cube, so only half the blocks are solved. The same factorisation
/// carries the data's noise to the cube (`BlockNoise`).
public enum FourierBlockSolver {
    public static func solve(_ problem: FusionProblem, settings: FusionSettings, psfs: PSFProvider) throws -> FusionResult {
        let planes = problem.wavelengths.count
        let plane = problem.width * problem.height
        let fineWidth = problem.fineWidth, fineHeight = problem.fineHeight, finePlane = fineWidth * fineHeight
        let filters = problem.images.count
        guard planes >= 2, plane >= 4 else { throw FusionError("the cube is too small to fuse") }
        guard filters >= 1 else { throw FusionError("no NIRCam image to fuse") }

        // Mean spectrum and centred cube.
        var mean = [Double](repeating: 0, count: planes)
        var centred = problem.cube
        for l in 0..<planes {
            var sum = 0.0
            for p in 0..<plane { sum += problem.cube[l * plane + p] }
            mean[l] = sum / Double(plane)
            for p in 0..<plane { centred[l * plane + p] -= mean[l] }
        }
        let noiseVariance = problem.cubeSigma.reduce(0) { $0 + $1 * $1 } / Double(planes)
        let subspace =
            try settings.frozen?.subspace
            ?? Subspace.principal(
                centred: centred, planes: planes, pixels: plane, noiseVariance: noiseVariance,
                fixedRank: settings.rank, maxRank: settings.maxRank)
        let k = subspace.rank
        let basis = subspace.basis

        // Cross-calibration (paper eqs. 6-7): each response row is scaled so the NIRSpec mean spectrum seen
        // through it equals the image's mean.
        func calibrate(_ image: [Double], _ response: [Double]) throws -> (row: [Double], factor: Double, mean: Double) {
            let imageMean = image.reduce(0, +) / Double(image.count)
            var predicted = 0.0, total = 0.0
            for l in 0..<planes { predicted += response[l] * mean[l]; total += response[l] }
            guard predicted != 0, total > 0 else { throw FusionError("a NIRCam filter has no throughput over the cube's wavelengths") }
            return (response.map { $0 * imageMean / predicted }, imageMean * total / predicted, imageMean)
        }
        var fitted = try zip(problem.images, problem.responses).map { try calibrate($0, $1) }
        if let factors = settings.frozen?.calibration, factors.count == fitted.count {
            for f in fitted.indices {
                let total = problem.responses[f].reduce(0, +)
                fitted[f] = (problem.responses[f].map { $0 * factors[f] / total }, factors[f], fitted[f].mean)
            }
        }
        let heldOut = try zip(problem.heldOutImages, problem.heldOutResponses).map { try calibrate($0, $1) }

        // Padded periodic domain.
        let pad = max(1, settings.padding)
        let coarseRows = problem.height + 2 * pad, coarseColumns = problem.width + 2 * pad
        let rows = 3 * coarseRows, columns = 3 * coarseColumns, cells = rows * columns
        let finePad = 3 * pad
        let fineFFT = FFT2D(rows: rows, columns: columns)
        let coarseFFT = FFT2D(rows: coarseRows, columns: coarseColumns)
        let transfer = TransferFunctions(rows: rows, columns: columns)

        let lower = problem.wavelengths[0], upper = problem.wavelengths[planes - 1]
        let cameraNodes = WavelengthNodes(from: lower, to: upper, count: settings.nircamNodes)
        let ifuNodes = WavelengthNodes(from: lower, to: upper, count: settings.nirspecNodes)
        var side = min(min(rows, columns) - 1, 127)
        if side % 2 == 0 { side -= 1 }
        let fineScale = problem.spaxelScale / 3
        let cameraOTF = cameraNodes.wavelengths.map {
            transfer.optics(psf: psfs.psf(.nircam, wavelength: $0, pixelScale: fineScale, side: side), side: side, fft: fineFFT)
        }
        let ifuOTF = ifuNodes.wavelengths.map {
            transfer.spaxelSampling(
                transfer.optics(psf: psfs.psf(.nirspec, wavelength: $0, pixelScale: fineScale, side: side), side: side, fft: fineFFT))
        }
        let gradient = transfer.gradientPower()

        // NIRCam: centred, padded images in the Fourier domain, and the subspace coefficients of every filter
        // at every PSF node: C[f][i][n] = Σλ Lm_f(λ) w_n(λ) V(λ, i).
        let cameraWeights = problem.wavelengths.map { cameraNodes.weights(at: $0) }
        func coefficients(_ row: [Double]) -> [Double] {
            var c = [Double](repeating: 0, count: k * cameraNodes.count)
            for l in 0..<planes {
                let w = cameraWeights[l]
                for i in 0..<k {
                    let a = row[l] * basis[l * k + i]
                    for n in 0..<cameraNodes.count where w[n] != 0 { c[i * cameraNodes.count + n] += a * w[n] }
                }
            }
            return c
        }
        let cameraCoefficients = fitted.map { coefficients($0.row) }
        let imageSpectra: [[Double]] = zip(problem.images, fitted).map { image, calibration in
            var buffer = Padding.complex(
                Padding.mirror(image.map { $0 - calibration.mean }, width: fineWidth, height: fineHeight, pad: finePad))
            fineFFT.forward(&buffer)
            return buffer
        }
        let inverseImageVariance = problem.imageSigma.map { 1 / max($0 * $0, 1e-300) }
        let imageNoise = problem.imageNoise.count == filters ? problem.imageNoise : problem.imageSigma.map { ResampledNoise(white: $0) }
        let imageNoisePower = imageNoise.map { $0.power(rows: rows, columns: columns, fft: fineFFT) }

        // NIRSpec: noise-weighted projections of the cube on (node, component) pairs, and the factor R of their
        // Gram matrix G = Wᵀ W (W[λ, (n,i)] = w_n(λ) V(λ,i) / σ_λ), so that each block's NIRSpec part is (RE)ᴴ(RE).
        let nk = ifuNodes.count * k
        var weighted = [Double](repeating: 0, count: planes * nk)
        var projector = [Double](repeating: 0, count: planes * nk)
        for l in 0..<planes {
            let w = ifuNodes.weights(at: problem.wavelengths[l])
            let s = max(problem.cubeSigma[l], 1e-300)
            for n in 0..<ifuNodes.count {
                for i in 0..<k {
                    weighted[l * nk + n * k + i] = w[n] * basis[l * k + i] / s
                    projector[l * nk + n * k + i] = w[n] * basis[l * k + i] / (s * s)
                }
            }
        }
        var gram = [Double](repeating: 0, count: nk * nk)
        weighted.withUnsafeBufferPointer { a in
            gram.withUnsafeMutableBufferPointer { g in DenseProducts.gram(a.baseAddress!, rows: planes, columns: nk, into: g.baseAddress!) }
        }
        for r in 0..<nk { for c in 0..<r { gram[r * nk + c] = gram[c * nk + r] } }
        let factor = try gramFactor(gram, size: nk)
        var projections = [Double](repeating: 0, count: nk * plane)
        projector.withUnsafeBufferPointer { q in
            centred.withUnsafeBufferPointer { y in
                projections.withUnsafeMutableBufferPointer { out in
                    DenseProducts.multiply(
                        q.baseAddress!, transposeA: true, y.baseAddress!, into: out.baseAddress!, m: nk, n: plane, k: planes)
                }
            }
        }
        let projectionSpectra: [[Double]] = (0..<nk).map { j in
            var buffer = Padding.complex(
                Padding.mirror(
                    Array(projections[(j * plane)..<((j + 1) * plane)]), width: problem.width,
                    height: problem.height, pad: pad))
            coarseFFT.forward(&buffer)
            return buffer
        }

        // Sobolev weights (Appendix B: μ_i = 1/α_i², α_i² the mean squared gradient of component i) from a crude
        // solution, the cube projected on each component and upsampled bicubically. That solution lacks the fine
        // structure fusion is meant to recover, so its gradients are scaled by how much more gradient power the
        // NIRCam images hold (noise removed) than the same crude cube seen through each filter.
        func crudeMap(_ weights: (Int) -> Double) -> [Float] {
            var map = [Float](repeating: 0, count: plane)
            for p in 0..<plane {
                var s = 0.0
                for l in 0..<planes { s += weights(l) * centred[l * plane + p] }
                map[p] = Float(s)
            }
            return Bicubic.upsample(map, width: problem.width, height: problem.height, factor: 3)
        }
        let boost = gradientBoost(
            images: problem.images, sigma: problem.imageSigma, crude: fitted.map { c in crudeMap { c.row[$0] } },
            width: fineWidth, height: fineHeight)
        var mu = [Double](repeating: 0, count: k)
        for i in 0..<k {
            let alpha2 = max(
                meanSquaredGradient(crudeMap { basis[$0 * k + i] }.map(Double.init), width: fineWidth, height: fineHeight) * boost, 1e-300)
            mu[i] = settings.muScale / alpha2
        }
        if let frozen = settings.frozen?.mu, frozen.count == k { mu = frozen }

        // One Hermitian block of size 9k per coarse frequency, solved as a real symmetric system of size 18k.
        var spectra = [Double](repeating: 0, count: k * 2 * cells)
        let blocks = BlockContext(
            k: k, filters: filters, coarseRows: coarseRows, coarseColumns: coarseColumns, rows: rows,
            columns: columns, cameraOTF: cameraOTF, cameraCoefficients: cameraCoefficients,
            imageSpectra: imageSpectra, inverseImageVariance: inverseImageVariance,
            imageNoisePower: imageNoisePower, ifuOTF: ifuOTF,
            factor: factor.matrix, factorRank: factor.rank, projectionSpectra: projectionSpectra,
            gradient: gradient, mu: mu, gamma: settings.gammaScale)
        let failures = FailureCount()
        let noise = NoiseSum(count: BlockNoise.phases * k * k)
        try spectra.withUnsafeMutableBufferPointer { output in
            let target = SharedOutput(base: output.baseAddress!)
            Parallel.forEach(coarseRows * coarseColumns) { range in
                var scratch = BlockScratch(blocks)
                for g in range where blocks.partner(of: g) >= g {
                    if !blocks.solve(group: g, scratch: &scratch, into: target) { failures.increment() }
                }
                noise.add(scratch.noise.covariance)
            }
            if failures.value > 0 { throw FusionError("\(failures.value) frequency blocks were not positive definite") }
            blocks.completeConjugates(target)
        }

        // Back to the image domain: the k component maps, then the cube X = V z + μ.
        var maps = [Double](repeating: 0, count: k * finePlane)
        for i in 0..<k {
            var buffer = Array(spectra[(i * 2 * cells)..<((i + 1) * 2 * cells)])
            fineFFT.inverse(&buffer)
            let real = (0..<cells).map { buffer[2 * $0] / Double(cells) }
            let cropped = Padding.crop(real, paddedWidth: columns, width: fineWidth, height: fineHeight, pad: finePad)
            for p in 0..<finePlane { maps[i * finePlane + p] = cropped[p] }
        }
        var fused = [Double](repeating: 0, count: planes * finePlane)
        basis.withUnsafeBufferPointer { v in
            maps.withUnsafeBufferPointer { z in
                fused.withUnsafeMutableBufferPointer { x in
                    DenseProducts.multiply(v.baseAddress!, z.baseAddress!, into: x.baseAddress!, m: planes, n: finePlane, k: k)
                }
            }
        }
        var cube = [Float](repeating: 0, count: fused.count)
        for l in 0..<planes { for p in 0..<finePlane { cube[l * finePlane + p] = Float(fused[l * finePlane + p] + mean[l]) } }

        // Every image as the fused cube predicts it (NIRCam forward model), for the quality table.
        func predict(_ coefficients: [Double], offset: Double) -> [Double] {
            var buffer = [Double](repeating: 0, count: 2 * cells)
            for c in 0..<cells {
                var re = 0.0, im = 0.0
                for i in 0..<k {
                    var ar = 0.0, ai = 0.0
                    for n in 0..<cameraNodes.count {
                        let w = coefficients[i * cameraNodes.count + n]
                        ar += w * cameraOTF[n][2 * c]; ai += w * cameraOTF[n][2 * c + 1]
                    }
                    let zr = spectra[i * 2 * cells + 2 * c], zi = spectra[i * 2 * cells + 2 * c + 1]
                    re += ar * zr - ai * zi; im += ar * zi + ai * zr
                }
                buffer[2 * c] = re; buffer[2 * c + 1] = im
            }
            fineFFT.inverse(&buffer)
            let real = (0..<cells).map { buffer[2 * $0] / Double(cells) + offset }
            return Padding.crop(real, paddedWidth: columns, width: fineWidth, height: fineHeight, pad: finePad)
        }
        let modelImages = zip(cameraCoefficients, fitted).map { predict($0, offset: $1.mean) }
        let heldOutModels = heldOut.map { predict(coefficients($0.row), offset: $0.mean) }

        let sortedImage = problem.imageSigma.map { $0 * $0 }.sorted()
        let sortedCube = problem.cubeSigma.map { $0 * $0 }.sorted()
        let gamma = settings.gammaScale * sortedImage[sortedImage.count / 2] / max(sortedCube[sortedCube.count / 2], 1e-300)
        let sigma = PropagatedNoise.sigma(
            covariance: noise.value, cells: cells, basis: basis, components: k,
            cubeSigma: problem.cubeSigma, spaxels: plane)
        let choices = FusionChoices(subspace: subspace, mu: mu, calibration: fitted.map(\.factor))
        return FusionResult(
            cube: cube, sigma: sigma, choices: choices, rank: k, explainedVariance: subspace.explainedVariance, gamma: gamma, mu: mu,
            calibration: fitted.map(\.factor), heldOutCalibration: heldOut.map(\.factor),
            modelImages: modelImages, heldOutModelImages: heldOutModels)
    }

    /// Mean of the squared first differences along both axes.
    static func meanSquaredGradient(_ map: [Double], width: Int, height: Int) -> Double {
        var sum = 0.0, count = 0
        for y in 0..<height {
            for x in 0..<width {
                let v = map[y * width + x]
                if x + 1 < width { let d = map[y * width + x + 1] - v; sum += d * d; count += 1 }
                if y + 1 < height { let d = map[(y + 1) * width + x] - v; sum += d * d; count += 1 }
            }
        }
        return sum / Double(max(count, 1))
    }

    /// Median over filters of (gradient power of the image − 2σ² of its noise) / gradient power of the crude
    /// cube seen through that filter; at least 1.
    static func gradientBoost(images: [[Double]], sigma: [Double], crude: [[Float]], width: Int, height: Int) -> Double {
        var ratios: [Double] = []
        for f in 0..<images.count {
            let signal = meanSquaredGradient(images[f], width: width, height: height) - 2 * sigma[f] * sigma[f]
            let smooth = meanSquaredGradient(crude[f].map(Double.init), width: width, height: height)
            if smooth > 0, signal > 0 { ratios.append(signal / smooth) }
        }
        guard !ratios.isEmpty else { return 1 }
        ratios.sort()
        return max(1, ratios[ratios.count / 2])
    }

    /// R with Rᵀ R = G (rows √λ uᵀ for the eigenpairs of G above round-off), and its row count.
    static func gramFactor(_ gram: [Double], size: Int) throws -> (matrix: [Double], rank: Int) {
        var copy = gram
        let eigen = try SymmetricEigen.largest(&copy, n: size, count: size)
        let top = eigen.values.first ?? 0
        let rank = max(1, eigen.values.prefix { $0 > top * 1e-12 }.count)
        var r = [Double](repeating: 0, count: rank * size)
        for q in 0..<rank {
            let s = max(eigen.values[q], 0).squareRoot()
            for c in 0..<size { r[q * size + c] = s * eigen.vectors[c * size + q] }
        }
        return (r, rank)
    }
}

/// The output spectra, written by parallel workers at disjoint frequencies.
struct SharedOutput: @unchecked Sendable {
    let base: UnsafeMutablePointer<Double>
}

/// Counts blocks that failed to factor, across workers.
final class FailureCount: Sendable {
    private let count = Locked(0)
    func increment() { count.withLock { $0 += 1 } }
    var value: Int { count.current }
}
