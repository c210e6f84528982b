import Numerics
import XCTest

/// `RealFFT` against the DFT's definition: a cosine and a sine land in their bins with the right sign and
/// amplitude, and the unnormalised inverse returns n times the signal, on aligned buffers and on buffers offset
/// by one element (the unaligned plans, made on first use).
final class RealFFTTests: XCTestCase {
    func testAlignedAndUnalignedBuffersTransformAlike() {
        let n = 2048, cosineBin = 5, sineBin = 17
        let fft = RealFFT(count: n)
        XCTAssertEqual(fft.spectrumLength, n + 2)
        for offset in [0, 1, 0, 1] {
            var signal = [Double](repeating: 0, count: n + offset), spectrum = [Double](repeating: 0, count: fft.spectrumLength + offset)
            for m in 0..<n {
                let phase = 2 * Double.pi * Double(m) / Double(n)
                signal[offset + m] = 3 * cos(Double(cosineBin) * phase) + 2 * sin(Double(sineBin) * phase) + 0.5
            }
            let original = signal
            signal.withUnsafeMutableBufferPointer { s in
                spectrum.withUnsafeMutableBufferPointer { f in
                    fft.forward(
                        UnsafeMutableBufferPointer(rebasing: s[offset...]), into: UnsafeMutableBufferPointer(rebasing: f[offset...]))
                }
            }
            func bin(_ k: Int) -> (re: Double, im: Double) {
                (spectrum[offset + 2 * k] / Double(n), spectrum[offset + 2 * k + 1] / Double(n))
            }
            XCTAssertEqual(bin(0).re, 0.5, accuracy: 1e-12, "offset \(offset): mean")
            XCTAssertEqual(bin(cosineBin).re, 1.5, accuracy: 1e-12, "offset \(offset): cosine, X = n a / 2")
            XCTAssertEqual(bin(sineBin).im, -1, accuracy: 1e-12, "offset \(offset): sine, X = −i n b / 2")
            XCTAssertEqual(bin(sineBin + 1).re, 0, accuracy: 1e-12, "offset \(offset): an empty bin")
            signal.withUnsafeMutableBufferPointer { s in
                spectrum.withUnsafeMutableBufferPointer { f in
                    fft.inverse(
                        UnsafeMutableBufferPointer(rebasing: f[offset...]), into: UnsafeMutableBufferPointer(rebasing: s[offset...]))
                }
            }
            let worst = (0..<n).map { abs(signal[offset + $0] / Double(n) - original[offset + $0]) }.max()!
            XCTAssertLessThan(worst, 1e-12, "offset \(offset): inverse of forward")
        }
    }
}
