package sim

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strings"
)

// Front speaks one cloud's wire protocol over the core.
type Front interface {
	// Provider names the cloud this front serves.
	Provider() string
	// Match tells whether a request is in this cloud's protocol (Alibaba's
	// Action parameter, Tencent's X-TC-Action header, Zenlayer's path). The
	// body may be read: the handler restores it for the next front.
	Match(r *http.Request) bool
	http.Handler
}

// maxBody bounds what the emulator reads of a request.
const maxBody = 1 << 20

// Handler serves every front on one port, routing by each protocol's markers.
func Handler(fronts ...Front) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
		if err != nil {
			http.Error(w, "cannot read request body", http.StatusBadRequest)
			return
		}
		for _, f := range fronts {
			r.Body = io.NopCloser(bytes.NewReader(body))
			if f.Match(r) {
				r.Body = io.NopCloser(bytes.NewReader(body))
				f.ServeHTTP(w, r)
				return
			}
		}
		WriteJSON(w, http.StatusNotFound, map[string]string{
			"message": "eipctl emulator: no cloud recognises this request (Alibaba: Action parameter or x-acs-action header; Tencent: X-TC-Action header; Zenlayer: /api/v2/zec)",
		})
	})
}

// RequestID makes an ID in the usual 8-4-4-4-12 upper-case form.
func RequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	h := strings.ToUpper(hex.EncodeToString(b[:]))
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// WriteJSON writes v as a JSON response with the given status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// Reset drops the client's connection without an answer, for FaultReset.
func Reset(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}
