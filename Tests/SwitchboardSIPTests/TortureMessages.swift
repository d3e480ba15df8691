// RFC 4475 torture test messages, transcribed from the RFC. Lines are written with "\n" and sent
// with CRLF (`wire(_:)`), as in the RFC; `<hex>` bytes are written as Swift escapes.
// mpart01 (multipart body with a binary S/MIME part) is left out: its binary block is long and
// exercises body handling this library leaves to the application.

/// The text with every LF turned into CRLF, as bytes.
func wire(_ text: String) -> [UInt8] {
    var bytes: [UInt8] = []
    for byte in text.utf8 {
        if byte == 0x0A { bytes.append(0x0D) }
        bytes.append(byte)
    }
    return bytes
}

let sdp150 = """
v=0
o=mhandley 29739 7272939 IN IP4 192.0.2.1
s=-
c=IN IP4 192.0.2.1
t=0 0
m=audio 49217 RTP/AVP 0 12
m=video 3227 RTP/AVP 31
a=rtpmap:31 LPC

"""

/// RFC 4475 §3.1.1: messages a parser must accept.
enum ValidTorture {
    /// §3.1.1.1 A Short Tortuous INVITE.
    static let wsinv = """
    INVITE sip:vivekg@chair-dnrc.example.com;unknownparam SIP/2.0
    TO :
     sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n
    from   : "J Rosenberg \\\\\\""       <sip:jdrosen@example.com>
      ;
      tag = 98asjd8
    MaX-fOrWaRdS: 0068
    Call-ID: wsinv.ndaksdj@192.0.2.1
    Content-Length   : 150
    cseq: 0009
      INVITE
    Via  : SIP  /   2.0
     /UDP
        192.0.2.2;branch=390skdjuw
    s :
    NewFangledHeader:   newfangled value
     continued newfangled value
    UnknownHeaderWithUnusualValue: ;;,,;;,;
    Content-Type: application/sdp
    Route:
     <sip:services.example.com;lr;unknownwith=value;unknown-no-value>
    v:  SIP  / 2.0  / TCP     spindle.example.com   ;
      branch  =   z9hG4bK9ikj8  ,
     SIP  /    2.0   / UDP  192.168.255.111   ; branch=
     z9hG4bK30239
    m:"Quoted string \\"\\"" <sip:jdrosen@example.com> ; newparam =
          newvalue ;
      secondparam ; q = 0.33

    v=0
    o=mhandley 29739 7272939 IN IP4 192.0.2.3
    s=-
    c=IN IP4 192.0.2.4
    t=0 0
    m=audio 49217 RTP/AVP 0 12
    m=video 3227 RTP/AVP 31
    a=rtpmap:31 LPC

    """

    /// §3.1.1.2 Wide Range of Valid Characters.
    static let intmeth = """
    !interesting-Method0123456789_*+`.%indeed'~ sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too.(doesn't-it)@example.com SIP/2.0
    Via: SIP/2.0/TCP host1.example.com;branch=z9hG4bK-.!%66*_+`'~
    To: "BEL:\\\u{07} NUL:\\\u{00} DEL:\\\u{7F}" <sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*@example.com>
    From: token1~` token2'+_ token3*%!.- <sip:mundane@example.com>;fromParam''~+*_!.-%="\u{0440}\u{0430}\u{0431}\u{043E}\u{0442}\u{0430}\u{044E}\u{0449}\u{0438}\u{0439}";tag=_token~1'+`*%!-.
    Call-ID: intmeth.word%ZK-!.*_+'@word`~)(><:\\/"][?}{
    CSeq: 139122385 !interesting-Method0123456789_*+`.%indeed'~
    Max-Forwards: 255
    extensionHeader-!.%*+_`'~:\u{FEFF}\u{5927}\u{505C}\u{96FB}
    Content-Length: 0


    """

    /// §3.1.1.3 Valid Use of the % Escaping Mechanism.
    static let esc01 = """
    INVITE sip:sips%3Auser%40example.com@example.net SIP/2.0
    To: sip:%75se%72@example.com
    From: <sip:I%20have%20spaces@example.net>;tag=938
    Max-Forwards: 87
    i: esc01.239409asdfakjkn23onasd0-3234
    CSeq: 234234 INVITE
    Via: SIP/2.0/UDP host5.example.net;branch=z9hG4bKkdjuw
    C: application/sdp
    Contact:
      <sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31>
    Content-Length: 150


    """ + sdp150

    /// §3.1.1.4 Escaped Nulls in URIs.
    static let escnull = """
    REGISTER sip:example.com SIP/2.0
    To: sip:null-%00-null@example.com
    From: sip:null-%00-null@example.com;tag=839923423
    Max-Forwards: 70
    Call-ID: escnull.39203ndfvkjdasfkq3w4otrq0adsfdfnavd
    CSeq: 14398234 REGISTER
    Via: SIP/2.0/UDP host5.example.com;branch=z9hG4bKkdjuw
    Contact: <sip:%00@host5.example.com>
    Contact: <sip:%00%00@host5.example.com>
    L:0


    """

    /// §3.1.1.6 Message with No LWS between Display Name and <.
    static let lwsdisp = """
    OPTIONS sip:user@example.com SIP/2.0
    To: sip:user@example.com
    From: caller<sip:caller@example.com>;tag=323
    Max-Forwards: 70
    Call-ID: lwsdisp.1234abcd@funky.example.com
    CSeq: 60 OPTIONS
    Via: SIP/2.0/UDP funky.example.com;branch=z9hG4bKkdjuw
    l: 0


    """

    /// §3.1.1.7 Long Values in Header Fields (the RFC's <repeat> blocks written out).
    static let longreq = """
    INVITE sip:user@example.com SIP/2.0
    To: "I have a user name of extremeextremeextremeextremeextremeextremeextremeextremeextremeextreme proportion"<sip:user@example.com:6000;unknownparam1=verylonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglongvalue;longparamnamenamenamenamenamenamenamenamenamenamenamenamenamenamenamenamenamenamenamenamenamenamenamenamename=shortvalue;verylonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglongParameterNameWithNoValue>
    F: sip:amazinglylongcallernameamazinglylongcallernameamazinglylongcallernameamazinglylongcallernameamazinglylongcallername@example.net;tag=12982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982424;unknownheaderparamnamenamenamenamenamenamenamenamenamenamenamenamenamenamenamenamenamenamenamename=unknowheaderparamvaluevaluevaluevaluevaluevaluevaluevaluevaluevaluevaluevaluevaluevaluevalue;unknownValuelessparamnameparamnameparamnameparamnameparamnameparamnameparamnameparamnameparamnameparamname
    Call-ID: longreq.onereallyreallyreallyreallyreallyreallyreallyreallyreallyreallyreallyreallyreallyreallyreallyreallyreallyreallyreallyreallylongcallid
    CSeq: 3882340 INVITE
    Unknown-LongLongLongLongLongLongLongLongLongLongLongLongLongLongLongLongLongLongLongLong-Name: unknown-longlonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglong-value; unknown-longlonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglong-parameter-name = unknown-longlonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglong-parameter-value
    Via: SIP/2.0/TCP sip33.example.com
    v: SIP/2.0/TCP sip32.example.com
    V: SIP/2.0/TCP sip31.example.com
    Via: SIP/2.0/TCP sip30.example.com
    ViA: SIP/2.0/TCP sip29.example.com
    VIa: SIP/2.0/TCP sip28.example.com
    VIA: SIP/2.0/TCP sip27.example.com
    via: SIP/2.0/TCP sip26.example.com
    viA: SIP/2.0/TCP sip25.example.com
    vIa: SIP/2.0/TCP sip24.example.com
    vIA: SIP/2.0/TCP sip23.example.com
    V :  SIP/2.0/TCP sip22.example.com
    v :  SIP/2.0/TCP sip21.example.com
    V  : SIP/2.0/TCP sip20.example.com
    v  : SIP/2.0/TCP sip19.example.com
    Via : SIP/2.0/TCP sip18.example.com
    Via  : SIP/2.0/TCP sip17.example.com
    Via: SIP/2.0/TCP sip16.example.com
    Via: SIP/2.0/TCP sip15.example.com
    Via: SIP/2.0/TCP sip14.example.com
    Via: SIP/2.0/TCP sip13.example.com
    Via: SIP/2.0/TCP sip12.example.com
    Via: SIP/2.0/TCP sip11.example.com
    Via: SIP/2.0/TCP sip10.example.com
    Via: SIP/2.0/TCP sip9.example.com
    Via: SIP/2.0/TCP sip8.example.com
    Via: SIP/2.0/TCP sip7.example.com
    Via: SIP/2.0/TCP sip6.example.com
    Via: SIP/2.0/TCP sip5.example.com
    Via: SIP/2.0/TCP sip4.example.com
    Via: SIP/2.0/TCP sip3.example.com
    Via: SIP/2.0/TCP sip2.example.com
    Via: SIP/2.0/TCP sip1.example.com
    Via: SIP/2.0/TCP host.example.com;received=192.0.2.5;branch=verylonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglongbranchvalue
    Max-Forwards: 70
    Contact: <sip:amazinglylongcallernameamazinglylongcallernameamazinglylongcallernameamazinglylongcallernameamazinglylongcallername@host5.example.net>
    Content-Type: application/sdp
    l: 150



    """ + sdp150

    /// §3.1.1.8 Extra Trailing Octets in a UDP Datagram: a REGISTER with Content-Length 0 followed
    /// by an INVITE in the same datagram; only the REGISTER counts.
    static let dblreq = """
    REGISTER sip:example.com SIP/2.0
    To: sip:j.user@example.com
    From: sip:j.user@example.com;tag=43251j3j324
    Max-Forwards: 8
    I: dblreq.0ha0isndaksdj99sdfafnl3lk233412
    Contact: sip:j.user@host.example.com
    CSeq: 8 REGISTER
    Via: SIP/2.0/UDP 192.0.2.125;branch=z9hG4bKkdjuw23492
    Content-Length: 0

    INVITE sip:joe@example.com SIP/2.0
    t: sip:joe@example.com
    From: sip:caller@example.net;tag=141334
    Max-Forwards: 8
    Call-ID: dblreq.0ha0isnda977644900765@192.0.2.15
    CSeq: 8 INVITE
    Via: SIP/2.0/UDP 192.0.2.15;branch=z9hG4bKkdjuw380234
    Content-Type: application/sdp
    Content-Length: 150

    v=0
    o=mhandley 29739 7272939 IN IP4 192.0.2.15
    s=-
    c=IN IP4 192.0.2.15
    t=0 0
    m=audio 49217 RTP/AVP 0 12
    m =video 3227 RTP/AVP 31
    a=rtpmap:31 LPC

    """

    /// §3.1.1.9 Semicolon-Separated Parameters in URI User Part.
    static let semiuri = """
    OPTIONS sip:user;par=u%40example.net@example.com SIP/2.0
    To: sip:j_user@example.com
    From: sip:caller@example.org;tag=33242
    Max-Forwards: 3
    Call-ID: semiuri.0ha0isndaksdj
    CSeq: 8 OPTIONS
    Accept: application/sdp, application/pkcs7-mime,
            multipart/mixed, multipart/signed,
            message/sip, message/sipfrag
    Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKkdjuw
    l: 0


    """

    /// §3.1.1.10 Varied and Unknown Transport Types.
    static let transports = """
    OPTIONS sip:user@example.com SIP/2.0
    To: sip:user@example.com
    From: <sip:caller@example.com>;tag=323
    Max-Forwards: 70
    Call-ID:  transports.kijh4akdnaqjkwendsasfdj
    Accept: application/sdp
    CSeq: 60 OPTIONS
    Via: SIP/2.0/UDP t1.example.com;branch=z9hG4bKkdjuw
    Via: SIP/2.0/SCTP t2.example.com;branch=z9hG4bKklasjdhf
    Via: SIP/2.0/TLS t3.example.com;branch=z9hG4bK2980unddj
    Via: SIP/2.0/UNKNOWN t4.example.com;branch=z9hG4bKasd0f3en
    Via: SIP/2.0/TCP t5.example.com;branch=z9hG4bK0a9idfnee
    l: 0


    """

    /// §3.1.1.12 Unusual Reason Phrase.
    static let unreason = """
    SIP/2.0 200 = 2**3 * 5**2 \u{043D}\u{043E} \u{0441}\u{0442}\u{043E} \u{0434}\u{0435}\u{0432}\u{044F}\u{043D}\u{043E}\u{0441}\u{0442}\u{043E} \u{0434}\u{0435}\u{0432}\u{044F}\u{0442}\u{044C} - \u{043F}\u{0440}\u{043E}\u{0441}\u{0442}\u{043E}\u{0435}
    Via: SIP/2.0/UDP 192.0.2.198;branch=z9hG4bK1324923
    Call-ID: unreason.1234ksdfak3j2erwedfsASdf
    CSeq: 35 INVITE
    From: sip:user@example.com;tag=11141343
    To: sip:user@example.edu;tag=2229
    Content-Length: 154
    Content-Type: application/sdp
    Contact: <sip:user@host198.example.com>

    v=0
    o=mhandley 29739 7272939 IN IP4 192.0.2.198
    s=-
    c=IN IP4 192.0.2.198
    t=0 0
    m=audio 49217 RTP/AVP 0 12
    m=video 3227 RTP/AVP 31
    a=rtpmap:31 LPC

    """

    /// §3.1.1.13 Empty Reason Phrase.
    static let noreason = """
    SIP/2.0 100 \n\
    Via: SIP/2.0/UDP 192.0.2.105;branch=z9hG4bK2398ndaoe
    Call-ID: noreason.asndj203insdf99223ndf
    CSeq: 35 INVITE
    From: <sip:user@example.com>;tag=39ansfi3
    To: <sip:user@example.edu>;tag=902jndnke3
    Content-Length: 0
    Contact: <sip:user@host105.example.com>


    """

    /// §3.3.10 A response whose Via names a broadcast address (valid syntax).
    static let bcast = """
    SIP/2.0 200 OK
    Via: SIP/2.0/UDP 192.0.2.198;branch=z9hG4bK1324923
    Via: SIP/2.0/UDP 255.255.255.255;branch=z9hG4bK1saber23
    Call-ID: bcast.0384840201234ksdfak3j2erwedfsASdf
    CSeq: 35 INVITE
    From: sip:user@example.com;tag=11141343
    To: sip:user@example.edu;tag=2229
    Content-Length: 154
    Content-Type: application/sdp
    Contact: <sip:user@host28.example.com>

    v=0
    o=mhandley 29739 7272939 IN IP4 192.0.2.198
    s=-
    c=IN IP4 192.0.2.198
    t=0 0
    m=audio 49217 RTP/AVP 0 12
    m=video 3227 RTP/AVP 31
    a=rtpmap:31 LPC

    """

    /// §3.3.12 REGISTER with a Contact Header Parameter.
    static let cparam01 = """
    REGISTER sip:example.com SIP/2.0
    Via: SIP/2.0/UDP saturn.example.com:5060;branch=z9hG4bKkdjuw
    Max-Forwards: 70
    From: sip:watson@example.com;tag=DkfVgjkrtMwaerKKpe
    To: sip:watson@example.com
    Call-ID: cparam01.70710@saturn.example.com
    CSeq: 2 REGISTER
    Contact: sip:+19725552222@gw1.example.net;unknownparam
    l: 0


    """

    /// §3.3.11 Max-Forwards of Zero (valid syntax; a UAS handles it normally).
    static let zeromf = """
    OPTIONS sip:user@example.com SIP/2.0
    To: sip:user@example.com
    From: sip:caller@example.net;tag=3ghsd41
    Call-ID: zeromf.jfasdlfnm2o2l43r5u0asdfas
    CSeq: 39234321 OPTIONS
    Via: SIP/2.0/UDP host1.example.com;branch=z9hG4bKkdjuw2349i
    Max-Forwards: 0
    Content-Length: 0


    """

    /// §3.4.1 Old (RFC 2543) style INVITE: no branch cookie, no From tag, no Content-Length.
    static let inv2543 = """
    INVITE sip:UserB@example.com SIP/2.0
    Via: SIP/2.0/UDP iftgw.example.com
    From: <sip:+13035551111@ift.client.example.net;user=phone>
    Record-Route: <sip:UserB@example.com;maddr=ss1.example.com>
    To: sip:+16505552222@ss1.example.net;user=phone
    Call-ID: inv2543.1717@ift.client.example.com
    CSeq: 56 INVITE
    Content-Type: application/sdp

    v=0
    o=mhandley 29739 7272939 IN IP4 192.0.2.5
    s=-
    c=IN IP4 192.0.2.5
    t=0 0
    m=audio 49217 RTP/AVP 0

    """

    /// §3.3.5 Request with Unknown Proxy-Require and Require (valid syntax; answered 420).
    static let bext01 = """
    OPTIONS sip:user@example.com SIP/2.0
    To: sip:j_user@example.com
    From: sip:caller@example.net;tag=242etr
    Max-Forwards: 6
    Call-ID: bext01.0ha0isndaksdj
    Require: nothingSupportsThis, nothingSupportsThisEither
    Proxy-Require: noProxiesSupportThis, norDoAnyProxiesSupportThis
    CSeq: 8 OPTIONS
    Via: SIP/2.0/TLS fold-and-staple.example.com;branch=z9hG4bKkdjuw
    Content-Length: 0


    """

    /// §3.3.3 Request-URI with a scheme we do not know (valid syntax; answered 416).
    static let novelsc = """
    OPTIONS soap.beep://192.0.2.103:3002 SIP/2.0
    To: sip:user@example.com
    From: sip:caller@example.net;tag=384
    Max-Forwards: 3
    Call-ID: novelsc.asdfasser0q239nwsdfasdkl34
    CSeq: 3923423 OPTIONS
    Via: SIP/2.0/TCP host9.example.com;branch=z9hG4bKkdjuw39234
    Content-Length: 0


    """
}

/// RFC 4475 §3.1.2 and §3.3: messages a receiver must reject (a request with 400 or 505).
enum InvalidTorture {
    /// §3.1.2.1 Extraneous Header Field Separators.
    static let badinv01 = """
    INVITE sip:user@example.com SIP/2.0
    To: sip:j.user@example.com
    From: sip:caller@example.net;tag=134161461246
    Max-Forwards: 7
    Call-ID: badinv01.0ha0isndaksdjasdf3234nas
    CSeq: 8 INVITE
    Via: SIP/2.0/UDP 192.0.2.15;;,;,,
    Contact: "Joe" <sip:joe@example.org>;;;;
    Content-Length: 152
    Content-Type: application/sdp

    v=0
    o=mhandley 29739 7272939 IN IP4 192.0.2.15
    s=-
    c=IN IP4 192.0.2.15
    t=0 0
    m=audio 49217 RTP/AVP 0 12
    m=video 3227 RTP/AVP 31
    a=rtpmap:31 LPC

    """

    /// §3.1.2.2 Content Length Larger Than Message.
    static let clerr = """
    INVITE sip:user@example.com SIP/2.0
    Max-Forwards: 80
    To: sip:j.user@example.com
    From: sip:caller@example.net;tag=93942939o2
    Contact: <sip:caller@hungry.example.net>
    Call-ID: clerr.0ha0isndaksdjweiafasdk3
    CSeq: 8 INVITE
    Via: SIP/2.0/UDP host5.example.com;branch=z9hG4bK-39234-23523
    Content-Type: application/sdp
    Content-Length: 9999

    v=0
    o=mhandley 29739 7272939 IN IP4 192.0.2.155
    s=-
    c=IN IP4 192.0.2.155
    t=0 0
    m=audio 49217 RTP/AVP 0 12
    m=video 3227 RTP/AVP 31
    a=rtpmap:31 LPC

    """

    /// §3.1.2.3 Negative Content-Length.
    static let ncl = """
    INVITE sip:user@example.com SIP/2.0
    Max-Forwards: 254
    To: sip:j.user@example.com
    From: sip:caller@example.net;tag=32394234
    Call-ID: ncl.0ha0isndaksdj2193423r542w35
    CSeq: 0 INVITE
    Via: SIP/2.0/UDP 192.0.2.53;branch=z9hG4bKkdjuw
    Contact: <sip:caller@example53.example.net>
    Content-Type: application/sdp
    Content-Length: -999

    v=0
    o=mhandley 29739 7272939 IN IP4 192.0.2.53
    s=-
    c=IN IP4 192.0.2.53
    t=0 0
    m=audio 49217 RTP/AVP 0 12
    m=video 3227 RTP/AVP 31
    a=rtpmap:31 LPC

    """

    /// §3.1.2.4 Request Scalar Fields with Overlarge Values.
    static let scalar02 = """
    REGISTER sip:example.com SIP/2.0
    Via: SIP/2.0/TCP host129.example.com;branch=z9hG4bK342sdfoi3
    To: <sip:user@example.com>
    From: <sip:user@example.com>;tag=239232jh3
    CSeq: 36893488147419103232 REGISTER
    Call-ID: scalar02.23o0pd9vanlq3wnrlnewofjas9ui32
    Max-Forwards: 300
    Expires: 1\(String(repeating: "0", count: 100))
    Contact: <sip:user@host129.example.com>
      ;expires=280297596632815
    Content-Length: 0


    """

    /// §3.1.2.5 Response Scalar Fields with Overlarge Values.
    static let scalarlg = """
    SIP/2.0 503 Service Unavailable
    Via: SIP/2.0/TCP host129.example.com;branch=z9hG4bKzzxdiwo34sw;received=192.0.2.129
    To: <sip:user@example.com>
    From: <sip:other@example.net>;tag=2easdjfejw
    CSeq: 9292394834772304023312 OPTIONS
    Call-ID: scalarlg.noase0of0234hn2qofoaf0232aewf2394r
    Retry-After: 949302838503028349304023988
    Warning: 1812 overture "In Progress"
    Content-Length: 0


    """

    /// §3.1.2.6 Unterminated Quoted String in Display Name.
    static let quotbal = """
    INVITE sip:user@example.com SIP/2.0
    To: "Mr. J. User <sip:j.user@example.com>
    From: sip:caller@example.net;tag=93334
    Max-Forwards: 10
    Call-ID: quotbal.aksdj
    Contact: <sip:caller@host59.example.net>
    CSeq: 8 INVITE
    Via: SIP/2.0/UDP 192.0.2.59:5050;branch=z9hG4bKkdjuw39234
    Content-Type: application/sdp
    Content-Length: 152

    v=0
    o=mhandley 29739 7272939 IN IP4 192.0.2.15
    s=-
    c=IN IP4 192.0.2.15
    t=0 0
    m=audio 49217 RTP/AVP 0 12
    m=video 3227 RTP/AVP 31
    a=rtpmap:31 LPC

    """

    /// §3.1.2.7 <> Enclosing Request-URI.
    static let ltgtruri = """
    INVITE <sip:user@example.com> SIP/2.0
    To: sip:user@example.com
    From: sip:caller@example.net;tag=39291
    Max-Forwards: 23
    Call-ID: ltgtruri.1@192.0.2.5
    CSeq: 1 INVITE
    Via: SIP/2.0/UDP 192.0.2.5
    Contact: <sip:caller@host5.example.net>
    Content-Type: application/sdp
    Content-Length: 150


    """ + sdp150

    /// §3.1.2.8 Malformed SIP Request-URI (embedded LWS).
    static let lwsruri = """
    INVITE sip:user@example.com; lr SIP/2.0
    To: sip:user@example.com;tag=3xfe-9921883-z9f
    From: sip:caller@example.net;tag=231413434
    Max-Forwards: 5
    Call-ID: lwsruri.asdfasdoeoi2323-asdfwrn23-asd834rk423
    CSeq: 2130706432 INVITE
    Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKkdjuw2395
    Contact: <sip:caller@host1.example.net>
    Content-Type: application/sdp
    Content-Length: 150


    """ + sdp150

    /// §3.1.2.9 Multiple SP Separating Request-Line Elements.
    static let lwsstart = """
    INVITE  sip:user@example.com  SIP/2.0
    Max-Forwards: 8
    To: sip:user@example.com
    From: sip:caller@example.net;tag=8814
    Call-ID: lwsstart.dfknq234oi243099adsdfnawe3@example.com
    CSeq: 1893884 INVITE
    Via: SIP/2.0/UDP host1.example.com;branch=z9hG4bKkdjuw3923
    Contact: <sip:caller@host1.example.net>
    Content-Type: application/sdp
    Content-Length: 150


    """ + sdp150

    /// §3.1.2.10 SP Characters at End of Request-Line.
    static let trws = """
    OPTIONS sip:remote-target@example.com SIP/2.0  \n\
    Via: SIP/2.0/TCP host1.examle.com;branch=z9hG4bK299342093
    To: <sip:remote-target@example.com>
    From: <sip:local-resource@example.com>;tag=329429089
    Call-ID: trws.oicu34958239neffasdhr2345r
    Accept: application/sdp
    CSeq: 238923 OPTIONS
    Max-Forwards: 70
    Content-Length: 0


    """

    /// §3.1.2.11 Escaped Headers in SIP Request-URI.
    static let escruri = """
    INVITE sip:user@example.com?Route=%3Csip:example.com%3E SIP/2.0
    To: sip:user@example.com
    From: sip:caller@example.net;tag=341518
    Max-Forwards: 7
    Contact: <sip:caller@host39923.example.net>
    Call-ID: escruri.23940-asdfhj-aje3br-234q098w-fawerh2q-h4n5
    CSeq: 149209342 INVITE
    Via: SIP/2.0/UDP host-of-the-hour.example.com;branch=z9hG4bKkdjuw
    Content-Type: application/sdp
    Content-Length: 150


    """ + sdp150

    /// §3.1.2.13 Failure to Enclose name-addr URI in <>.
    static let regbadct = """
    REGISTER sip:example.com SIP/2.0
    To: sip:user@example.com
    From: sip:user@example.com;tag=998332
    Max-Forwards: 70
    Call-ID: regbadct.k345asrl3fdbv@10.0.0.1
    CSeq: 1 REGISTER
    Via: SIP/2.0/UDP 135.180.130.133:5060;branch=z9hG4bKkdjuw
    Contact: sip:user@example.com?Route=%3Csip:sip.example.com%3E
    l: 0


    """

    /// §3.1.2.14 Spaces within addr-spec.
    static let badaspec = """
    OPTIONS sip:user@example.org SIP/2.0
    Via: SIP/2.0/UDP host4.example.com:5060;branch=z9hG4bKkdju43234
    Max-Forwards: 70
    From: "Bell, Alexander" <sip:a.g.bell@example.com>;tag=433423
    To: "Watson, Thomas" < sip:t.watson@example.org >
    Call-ID: badaspec.sdf0234n2nds0a099u23h3hnnw009cdkne3
    Accept: application/sdp
    CSeq: 3923239 OPTIONS
    l: 0


    """

    /// §3.1.2.15 Non-token Characters in Display Name.
    static let baddn = """
    OPTIONS sip:t.watson@example.org SIP/2.0
    Via:     SIP/2.0/UDP c.example.com:5060;branch=z9hG4bKkdjuw
    Max-Forwards:      70
    From:    Bell, Alexander <sip:a.g.bell@example.com>;tag=43
    To:      Watson, Thomas <sip:t.watson@example.org>
    Call-ID: baddn.31415@c.example.com
    Accept: application/sdp
    CSeq:    3923239 OPTIONS
    l: 0


    """

    /// §3.1.2.16 Unknown Protocol Version.
    static let badvers = """
    OPTIONS sip:t.watson@example.org SIP/7.0
    Via:     SIP/7.0/UDP c.example.com;branch=z9hG4bKkdjuw
    Max-Forwards:     70
    From:    A. Bell <sip:a.g.bell@example.com>;tag=qweoiqpe
    To:      T. Watson <sip:t.watson@example.org>
    Call-ID: badvers.31417@c.example.com
    CSeq:    1 OPTIONS
    l: 0


    """

    /// §3.1.2.17 Start Line and CSeq Method Mismatch.
    static let mismatch01 = """
    OPTIONS sip:user@example.com SIP/2.0
    To: sip:j.user@example.com
    From: sip:caller@example.net;tag=34525
    Max-Forwards: 6
    Call-ID: mismatch01.dj0234sxdfl3
    CSeq: 8 INVITE
    Via: SIP/2.0/UDP host.example.com;branch=z9hG4bKkdjuw
    l: 0


    """

    /// §3.1.2.18 Unknown Method with CSeq Method Mismatch.
    static let mismatch02 = """
    NEWMETHOD sip:user@example.com SIP/2.0
    To: sip:j.user@example.com
    From: sip:caller@example.net;tag=34525
    Max-Forwards: 6
    Call-ID: mismatch02.dj0234sxdfl3
    CSeq: 8 INVITE
    Contact: <sip:caller@host.example.net>
    Via: SIP/2.0/UDP host.example.net;branch=z9hG4bKkdjuw
    Content-Type: application/sdp
    l: 138

    v=0
    o=mhandley 29739 7272939 IN IP4 192.0.2.1
    c=IN IP4 192.0.2.1
    m=audio 49217 RTP/AVP 0 12
    m=video 3227 RTP/AVP 31
    a=rtpmap:31 LPC

    """

    /// §3.1.2.19 Overlarge Response Code.
    static let bigcode = """
    SIP/2.0 4294967301 better not break the receiver
    Via: SIP/2.0/UDP 192.0.2.105;branch=z9hG4bK2398ndaoe
    Call-ID: bigcode.asdof3uj203asdnf3429uasdhfas3ehjasdfas9i
    CSeq: 353494 INVITE
    From: <sip:user@example.com>;tag=39ansfi3
    To: <sip:user@example.edu>;tag=902jndnke3
    Content-Length: 0
    Contact: <sip:user@host105.example.com>


    """

    /// §3.3.1 Missing Required Header Fields.
    static let insuf = """
    INVITE sip:user@example.com SIP/2.0
    CSeq: 193942 INVITE
    Via: SIP/2.0/UDP 192.0.2.95;branch=z9hG4bKkdj.insuf
    Content-Type: application/sdp
    l: 152

    v=0
    o=mhandley 29739 7272939 IN IP4 192.0.2.95
    s=-
    c=IN IP4 192.0.2.95
    t=0 0
    m=audio 49217 RTP/AVP 0 12
    m=video 3227 RTP/AVP 31
    a=rtpmap:31 LPC

    """

    /// §3.3.8 Multiple Values in Single Value Required Fields.
    static let multi01 = """
    INVITE sip:user@company.com SIP/2.0
    Contact: <sip:caller@host25.example.net>
    Via: SIP/2.0/UDP 192.0.2.25;branch=z9hG4bKkdjuw
    Max-Forwards: 70
    CSeq: 5 INVITE
    Call-ID: multi01.98asdh@192.0.2.1
    CSeq: 59 INVITE
    Call-ID: multi01.98asdh@192.0.2.2
    From: sip:caller@example.com;tag=3413415
    To: sip:user@example.com
    To: sip:other@example.net
    From: sip:caller@example.net;tag=2923420123
    Content-Type: application/sdp
    l: 154
    Contact: <sip:caller@host36.example.net>
    Max-Forwards: 5

    v=0
    o=mhandley 29739 7272939 IN IP4 192.0.2.25
    s=-
    c=IN IP4 192.0.2.25
    t=0 0
    m=audio 49217 RTP/AVP 0 12
    m=video 3227 RTP/AVP 31
    a=rtpmap:31 LPC

    """

    /// §3.3.9 Multiple Content-Length Values.
    static let mcl01 = """
    OPTIONS sip:user@example.com SIP/2.0
    Via: SIP/2.0/UDP host5.example.net;branch=z9hG4bK293423
    To: sip:user@example.com
    From: sip:other@example.net;tag=3923942
    Call-ID: mcl01.fhn2323orihawfdoa3o4r52o3irsdf
    CSeq: 15932 OPTIONS
    Content-Length: 13
    Max-Forwards: 60
    Content-Length: 5
    Content-Type: text/plain

    There's no way to know how many octets are supposed to be here.

    """
}
