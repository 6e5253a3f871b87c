import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Expands a shell glob (`landing/orders/*.csv`) relative to a folder into sorted regular files.
public enum FileGlob {
    public static func expand(_ pattern: String, in folder: URL) -> [URL] {
        let full = pattern.hasPrefix("/") ? pattern : folder.appendingPathComponent(pattern).path
        var result = glob_t()
        defer { globfree(&result) }
        guard glob(full, 0, nil, &result) == 0 else { return [] }
        var urls: [URL] = []
        for index in 0..<Int(result.gl_pathc) {
            guard let pointer = result.gl_pathv[index] else { continue }
            let path = String(cString: pointer)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                urls.append(URL(fileURLWithPath: path))
            }
        }
        return urls.sorted { $0.path < $1.path }
    }
}
