-- wrk script for bench/bench_api.py: anonymous clients spread over 20,000 addresses
-- (X-Forwarded-For, which DRF's throttles read when NUM_PROXIES is unset), so that each stays
-- within the production per-IP quota, as real readers do, instead of one address at 1,000s/s.
local counter = 0
request = function()
  counter = counter + 1
  local n = counter % 20000
  local ip = "10." .. (n % 100) .. "." .. math.floor(n / 100) .. ".7"
  return wrk.format(nil, nil, {["X-Forwarded-For"] = ip})
end
