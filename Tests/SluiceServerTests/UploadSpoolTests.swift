import Foundation
import SluiceCore
import Testing

@testable import SluiceServer

/// Issue 21 item 5: what uploads may spool is capped per upload (413, from the declared length before a byte is
/// read, else as the bytes come) and per principal across its uploads in flight (429), and given back as each
/// upload's spool goes; one principal's uploads never take another's room.
@Suite struct UploadSpoolTests {
    @Test func uploadsAreCappedAloneAndPerPrincipal() throws {
        let spool = UploadSpool(maxUploadBytes: 100, maxPerPrincipalBytes: 150)
        #expect(throws: ServiceBusy.self) { try spool.admit(declaredLength: 101) }
        try spool.admit(declaredLength: 100)
        try spool.admit(declaredLength: nil)
        // One upload growing past its cap.
        #expect(throws: ServiceBusy.self) { try spool.reserve(60, soFar: 50, for: "alice") }
        // Two of alice's uploads in flight: the second passes her share, bob's does not count against hers.
        try spool.reserve(100, soFar: 0, for: "alice")
        #expect(throws: ServiceBusy.self) { try spool.reserve(60, soFar: 0, for: "alice") }
        try spool.reserve(100, soFar: 0, for: "bob")
        // Once the first upload's spool is gone, her room is back.
        spool.release(100, for: "alice")
        try spool.reserve(60, soFar: 0, for: "alice")
    }

    @Test func theRefusalsAre413And429() {
        let spool = UploadSpool(maxUploadBytes: 10, maxPerPrincipalBytes: 10)
        do {
            try spool.admit(declaredLength: 11)
            Issue.record("admitted")
        } catch let busy as ServiceBusy {
            #expect(busy.code == .tooLarge && busy.code.httpStatus == 413)
        } catch { Issue.record("\(error)") }
        do {
            try spool.reserve(10, soFar: 0, for: "eve")
            try spool.reserve(1, soFar: 0, for: "eve")
            Issue.record("reserved past the share")
        } catch let busy as ServiceBusy {
            #expect(busy.code == .rateLimited && busy.code.httpStatus == 429, "\(busy.code)")
        } catch { Issue.record("\(error)") }
    }
}
