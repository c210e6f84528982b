import CFITSIO

/// An element type FITS images and table columns can hold, with the cfitsio codes that read and write it.
public protocol FITSPixel: Sendable, Numeric, Comparable, BitwiseCopyable {
    /// cfitsio datatype code for reads and writes (TFLOAT, TUINT…).
    static var datatype: Int32 { get }
    /// cfitsio image type for creating an HDU (FLOAT_IMG, ULONG_IMG…); unsigned types get the BZERO convention.
    static var imageType: Int32 { get }
}

extension UInt8: FITSPixel { public static var datatype: Int32 { TBYTE }; public static var imageType: Int32 { BYTE_IMG } }
extension Int16: FITSPixel { public static var datatype: Int32 { TSHORT }; public static var imageType: Int32 { SHORT_IMG } }
extension UInt16: FITSPixel { public static var datatype: Int32 { TUSHORT }; public static var imageType: Int32 { USHORT_IMG } }
extension Int32: FITSPixel { public static var datatype: Int32 { TINT }; public static var imageType: Int32 { LONG_IMG } }
extension UInt32: FITSPixel { public static var datatype: Int32 { TUINT }; public static var imageType: Int32 { ULONG_IMG } }
extension Int64: FITSPixel { public static var datatype: Int32 { TLONGLONG }; public static var imageType: Int32 { LONGLONG_IMG } }
extension Float: FITSPixel { public static var datatype: Int32 { TFLOAT }; public static var imageType: Int32 { FLOAT_IMG } }
extension Double: FITSPixel { public static var datatype: Int32 { TDOUBLE }; public static var imageType: Int32 { DOUBLE_IMG } }
