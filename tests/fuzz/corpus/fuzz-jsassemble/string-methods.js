String.prototype.dd = function () { return this.replace(/[qz]/g, ''); }; String.prototype.e = function(){return this.substr(1, 4);}; x = 'WqSzc'.dd() + 'aScri'.e();
