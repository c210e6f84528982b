import Fusion
import Testing

@Test func identicalImagesHaveUnitSSIMAndInfinitePSNR() {
    let image = (0..<400).map { Double($0 % 17) + Double($0 / 20) }
    #expect(abs(FusionQuality.ssim(reference: image, estimate: image, width: 20, height: 20) - 1) < 1e-12)
    #expect(FusionQuality.psnr(reference: image, estimate: image) == .infinity)
}

@Test func psnrOfAKnownErrorMatchesItsDefinition() {
    let reference = [Double](repeating: 10, count: 100)
    let estimate = reference.map { $0 + 1 }
    // max 10, MSE 1 → 20 dB.
    #expect(abs(FusionQuality.psnr(reference: reference, estimate: estimate) - 20) < 1e-12)
}

@Test func bicubicUpsamplingKeepsSpaxelCentresAndLinearRamps() {
    var ramp = [Float](repeating: 0, count: 64)
    for y in 0..<8 { for x in 0..<8 { ramp[y * 8 + x] = Float(2 * x + 3 * y) } }
    let fine = Bicubic.upsample(ramp, width: 8, height: 8, factor: 3)
    // Fine pixel 3i+1 sits on spaxel i; inside the field (away from the clamped edge) a linear ramp is exact.
    for j in 1..<7 {
        for i in 1..<7 {
            let value: Float = fine[(3 * j + 1) * 24 + 3 * i + 1]
            #expect(abs(value - ramp[j * 8 + i]) < 1e-4)
        }
    }
    // A third of a spaxel further in y adds 3 · 1/3.
    let between: Float = fine[11 * 24 + 10]
    #expect(abs(between - (ramp[27] + 1)) < 1e-4)
}
